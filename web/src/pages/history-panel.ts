import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer.js';
import type { ModelingApi } from '../api/modeling-api.js';
import { element } from './page-header.js';

/** Every version of the diagram with who made it; choosing one shows it read-only. */
export async function showHistory(host: HTMLElement, api: ModelingApi, diagramId: string): Promise<void> {
  host.querySelector('.fl-history')?.remove();
  const panel = element('aside', 'fl-history');
  panel.dataset.testid = 'history';
  const close = element('button', 'fl-close', '×');
  close.addEventListener('click', () => panel.remove());
  const list = element('ol', 'fl-versions');
  const caption = element('p', 'fl-history-caption', 'Choose a version to see it (read-only).');
  caption.dataset.testid = 'history-caption';
  const preview = element('div', 'fl-history-preview');
  preview.dataset.testid = 'history-preview';
  panel.append(close, element('h2', '', 'History'), list, caption, preview);
  host.append(panel);

  const { versions } = await api.listVersions({ diagramId });
  let viewer: NavigatedViewer | undefined;
  for (const v of [...versions].reverse()) {
    const when = v.occurredAt ? new Date(Number(v.occurredAt.seconds) * 1000).toLocaleString() : '';
    const actor = v.actorId || 'unknown';
    const item = element('li', 'fl-version-item', `v${v.version} · ${actor} · ${when}`);
    item.dataset.version = String(v.version);
    item.addEventListener('click', async () => {
      const { xml } = await api.getDiagram({ diagramId, version: v.version });
      viewer ??= new NavigatedViewer({ container: preview });
      await viewer.importXML(xml);
      viewer.get<{ zoom(z: string): void }>('canvas').zoom('fit-viewport');
      for (const other of list.children) other.classList.remove('fl-selected');
      item.classList.add('fl-selected');
      caption.textContent = `Version ${v.version} by ${actor}, ${when} — read-only`;
      caption.dataset.version = String(v.version);
    });
    list.append(item);
  }
}

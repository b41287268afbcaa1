import type { ModelingApi } from '../api/modeling-api.js';
import { canEdit, type Identity } from '../auth/identity.js';
import type { ClientConfig } from '../auth/sign-in.js';
import { element, pageHeader } from './page-header.js';

/** `/`: the tenant's diagrams; create an empty one, import a .bpmn file, open one. */
export async function showDiagramList(root: HTMLElement, api: ModelingApi, identity: Identity, config: ClientConfig) {
  const main = element('main', 'fl-list');
  root.replaceChildren(pageHeader(identity, config, 'Diagrams'), main);

  if (canEdit(identity)) {
    const form = document.createElement('form');
    form.className = 'fl-create';
    const name = document.createElement('input');
    name.name = 'name';
    name.placeholder = 'New diagram name';
    name.required = true;
    const create = element('button', 'fl-button fl-primary', 'Create') as HTMLButtonElement;
    create.type = 'submit';
    const file = document.createElement('input');
    file.type = 'file';
    file.accept = '.bpmn,.xml';
    file.title = 'Import a .bpmn file';
    form.append(name, create, element('span', 'fl-or', 'or import'), file);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void open(api, name.value.trim(), '');
    });
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      if (chosen) await open(api, name.value.trim() || chosen.name.replace(/\.(bpmn|xml)$/, ''), await chosen.text());
    });
    main.append(form);
  }

  const list = element('ul', 'fl-diagrams');
  const { diagrams } = await api.listDiagrams({});
  if (diagrams.length === 0) list.append(element('li', 'fl-empty', 'No diagrams yet.'));
  for (const diagram of diagrams) {
    const item = element('li', 'fl-diagram');
    const link = element('a', '', diagram.name || diagram.diagramId) as HTMLAnchorElement;
    link.href = `/diagrams/${encodeURIComponent(diagram.diagramId)}`;
    const updated = diagram.updatedAt ? new Date(Number(diagram.updatedAt.seconds) * 1000).toLocaleString() : '';
    item.append(link, element('span', 'fl-meta', `version ${diagram.version} · ${updated}`));
    list.append(item);
  }
  main.append(list);
}

async function open(api: ModelingApi, name: string, xml: string): Promise<void> {
  try {
    const { diagramId } = await api.createDiagram({
      name: name || 'Untitled',
      xml,
      transactionId: crypto.randomUUID(),
    });
    location.assign(`/diagrams/${encodeURIComponent(diagramId)}`);
  } catch (error) {
    alert(`Could not create the diagram: ${(error as Error).message}`);
  }
}

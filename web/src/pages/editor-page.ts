import Modeler from 'bpmn-js/lib/Modeler.js';
import type { ModelingApi, PresenceApi } from '../api/modeling-api.js';
import { canEdit, type Identity } from '../auth/identity.js';
import type { ClientConfig } from '../auth/sign-in.js';
import { DiagramSession, type SessionView, type Violation } from '../collaboration/diagram-session.js';
import proposalsModule from '../modeler/proposals/index.js';
import changeApplierModule from '../modeler/change-applier/index.js';
import feedbackModule from '../modeler/feedback/index.js';
import presenceModule from '../modeler/presence/index.js';
import type RemoteSelections from '../modeler/presence/remote-selections.js';
import { PresenceSession } from '../collaboration/presence-session.js';
import { participantColor } from '../collaboration/participant-color.js';
import { participantsBar } from './participants-bar.js';
import { showHistory } from './history-panel.js';
import { propertiesPanel } from './properties-panel.js';
import { element, pageHeader } from './page-header.js';

declare global {
  interface Window {
    /** Like demo.bpmn.io: the page's bpmn-js instance, for automation and the console. */
    bpmnjs?: Modeler;
    /** The open diagram's session (version, reload), for automation. */
    flowledger?: { session: DiagramSession };
  }
}

const VIEWER_NOTICE = 'You can view this diagram but not change it (viewer). Live.';

/** `/diagrams/<id>`: the editor, with status line, rejection panel and history. */
export async function showEditor(
  root: HTMLElement,
  api: ModelingApi,
  presenceApi: PresenceApi,
  identity: Identity,
  diagramId: string,
  config: ClientConfig,
): Promise<void> {
  const editable = canEdit(identity);
  const status = element('div', 'fl-status');
  status.dataset.testid = 'status';
  const versionLabel = element('span', 'fl-version', '');
  versionLabel.dataset.testid = 'version';
  const rejection = element('div', 'fl-rejection');
  rejection.dataset.testid = 'rejection';
  rejection.hidden = true;
  const canvas = element('div', `fl-canvas${editable ? '' : ' fl-readonly'}`);
  const historyButton = element('button', 'fl-button', 'History');
  historyButton.dataset.testid = 'history-button';
  const undoButton = element('button', 'fl-button', 'Undo');
  undoButton.dataset.testid = 'undo';
  undoButton.title = 'Undo your last change (Ctrl+Z)';
  const redoButton = element('button', 'fl-button', 'Redo');
  redoButton.dataset.testid = 'redo';
  redoButton.title = 'Redo (Ctrl+Y)';
  const toolbar = element('div', 'fl-toolbar');
  toolbar.append(versionLabel, status);
  if (editable) toolbar.append(undoButton, redoButton);
  const participants = participantsBar(identity.actorId);
  toolbar.append(participants.node, historyButton);
  const layout = element('main', 'fl-editor');
  layout.append(toolbar, canvas, rejection);
  const header = pageHeader(identity, config, 'Diagram');
  root.replaceChildren(header, layout);

  const modeler = new Modeler({
    container: canvas,
    additionalModules: [proposalsModule, changeApplierModule, feedbackModule, presenceModule],
  });
  window.bpmnjs = modeler;
  layout.append(propertiesPanel(modeler, editable));
  modeler.get<{ setReadOnly(r: boolean): void }>('rulesGate').setReadOnly(!editable);

  const view: SessionView = {
    status(kind, text) {
      if (!editable && kind === 'idle') text = VIEWER_NOTICE;
      status.className = `fl-status fl-status-${kind}`;
      status.textContent = text;
      if (kind === 'applied') rejection.hidden = true;
    },
    rejected(code, message, violations) {
      status.className = 'fl-status fl-status-rejected';
      status.textContent = `Rejected: ${code}`;
      showRejection(rejection, code, message, violations);
    },
    versionChanged(version) {
      versionLabel.textContent = `v${version}`;
      versionLabel.dataset.version = String(version);
    },
  };
  if (!editable) view.status('info', VIEWER_NOTICE);

  const session = new DiagramSession(api, modeler, diagramId, view);
  window.flowledger = { session };
  historyButton.addEventListener('click', () => void showHistory(layout, api, diagramId));
  undoButton.addEventListener('click', () => session.undo());
  redoButton.addEventListener('click', () => session.redo());
  await session.open();
  joinPresence(modeler, presenceApi, diagramId, identity.actorId, participants);
  const diagrams = await api.listDiagrams({});
  const name = diagrams.diagrams.find((d) => d.diagramId === diagramId)?.name;
  if (name) header.querySelector('.fl-title')!.textContent = name;
  document.title = `${name ?? 'Diagram'} · flowledger`;
}

/** Shows who is here and what the others selected; tells them what this user selects. */
function joinPresence(
  modeler: Modeler,
  api: PresenceApi,
  diagramId: string,
  selfActorId: string,
  bar: ReturnType<typeof participantsBar>,
): void {
  const outlines = modeler.get<RemoteSelections>('remoteSelections');
  const presence = new PresenceSession(api, diagramId, (participants) => {
    bar.show(participants);
    const others = participants.filter((p) => p.actorId !== selfActorId);
    outlines.show(
      others.map((p) => ({ actorId: p.actorId, color: participantColor(p.actorId), elementIds: p.selectedElementIds })),
    );
  });
  const eventBus = modeler.get<{ on(e: string, f: (e: never) => void): void }>('eventBus');
  eventBus.on('selection.changed', (event: { newSelection: Array<{ id: string; labelTarget?: unknown }> }) =>
    presence.select(event.newSelection.filter((e) => !e.labelTarget).map((e) => e.id)),
  );
  window.addEventListener('pagehide', () => presence.leave());
  presence.start();
}

function showRejection(panel: HTMLElement, code: string, message: string, violations: Violation[]): void {
  const close = element('button', 'fl-close', '×');
  close.addEventListener('click', () => (panel.hidden = true));
  const title = element('strong', 'fl-rejection-code', code);
  const text = element('p', 'fl-rejection-message', message);
  const list = element('ul', 'fl-violations');
  for (const v of violations) {
    list.append(element('li', '', `${v.elementId ? `${v.elementId} — ` : ''}${v.rule}: ${v.message}`));
  }
  panel.replaceChildren(close, title, text, list);
  panel.hidden = false;
}

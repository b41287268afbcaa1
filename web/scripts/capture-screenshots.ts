// Screenshots of the editor's main states for web/README.md, taken in headless Chromium against
// the running stack: `node --import tsx web/scripts/capture-screenshots.ts` (writes web/docs/*.png).
import { join } from 'node:path';
import { devToken } from '../../tests/support/modeling-client.js';
import { clientFor, uniqueTenant } from '../../tests/support/test-tenant.js';
import { launchChromium } from '../e2e/support/chromium.js';
import { EditorPage } from '../e2e/support/editor-page.js';

const docs = join(import.meta.dirname, '..', 'docs');
const tenant = uniqueTenant('docs');
const setup = clientFor(tenant, 'setup', ['editor']);
const { diagramId } = await setup.createDiagram('Order handling');
await setup.propose(diagramId, 1, [
  {
    kind: 'createShape',
    id: 's',
    type: 'bpmn:StartEvent',
    parentId: '',
    name: 'Order received',
    bounds: { x: 150, y: 182, width: 36, height: 36 },
  },
  {
    kind: 'createShape',
    id: 't',
    type: 'bpmn:Task',
    parentId: '',
    name: 'Check order',
    bounds: { x: 250, y: 160, width: 100, height: 80 },
  },
  {
    kind: 'createConnection',
    id: 'f',
    type: 'bpmn:SequenceFlow',
    sourceId: 's',
    targetId: 't',
    waypoints: [
      { x: 186, y: 200 },
      { x: 250, y: 200 },
    ],
    name: '',
  },
]);

const browser = await launchChromium();
try {
  const ann = await EditorPage.open(browser, devToken(tenant, 'ann', ['editor']), diagramId);
  const ben = await EditorPage.open(browser, devToken(tenant, 'ben', ['editor']), diagramId);

  // Editing: ann appends an end event and types its name (bpmn.io's direct editing).
  await ann.select('Task_2_2');
  await ann.page.click('.djs-context-pad [data-action="append.end-event"]');
  await ben.waitForVersion(3);
  await ann.page.waitForSelector('.fl-pending-creations', { state: 'detached' });
  await ann.page.keyboard.type('Order checked');
  await ann.page.screenshot({ path: join(docs, 'editing.png') });

  // Two users: ben's window, with ann in the participant list and ann's selection outlined.
  const away = await ann.screenPoint({ x: 700, y: 450 });
  await ann.page.mouse.click(away.x, away.y);
  await ben.waitForVersion(4);
  await ann.select('Task_2_2');
  await ben.page.waitForSelector('.fl-remote-selection[data-actor="ann"][data-element="Task_2_2"]');
  await ben.page.screenshot({ path: join(docs, 'two-users.png') });

  // Pending: a move held at the network for a moment, so its pending state can be seen.
  await ann.page.route('**/*ModelingService/Propose', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await route.continue();
  });
  const from = await ann.centerOf('Task_2_2');
  await ann.drag(from, { x: from.x + 60, y: from.y + 120 });
  await ann.page.waitForSelector('.fl-pending-creations rect');
  await ann.page.mouse.move(away.x, away.y);
  await ann.page.screenshot({ path: join(docs, 'pending.png') });
  await ann.waitForVersion(5);
  await ann.page.unroute('**/*ModelingService/Propose');

  // Rejected: a second flow from the start event to the task (a duplicate: LINT_ERROR), its
  // violations pinned to the two elements.
  await ann.select('StartEvent_2_1');
  const pad = await ann.page.locator('.djs-context-pad [data-action="connect"]').boundingBox();
  const to = await ann.centerOf('Task_2_2');
  await ann.drag({ x: pad!.x + 5, y: pad!.y + 5 }, { x: to.x + 20, y: to.y + 20 });
  await ann.rejection();
  await ann.page.waitForSelector('.fl-badge-rejection');
  // Deselect (selection is no modeling command): no context pad over the badges.
  await ann.page.evaluate(() => window.bpmnjs!.get<{ select(e: null): void }>('selection').select(null));
  await ann.page.screenshot({ path: join(docs, 'rejected.png') });

  await ann.page.click('[data-testid=rejection] .fl-close');
  await ann.page.click('[data-testid=history-button]');
  await ann.page.click('.fl-version-item[data-version="3"]');
  await ann.page.waitForSelector('[data-testid=history-caption][data-version="3"]');
  await ann.page.waitForTimeout(500);
  await ann.page.screenshot({ path: join(docs, 'history.png') });
} finally {
  await browser.close();
}

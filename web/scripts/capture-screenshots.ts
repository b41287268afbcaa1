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

  await ann.select('Task_2_2');
  await ann.page.click('.djs-context-pad [data-action="append.end-event"]');
  await ben.waitForVersion(3);
  await ann.page.waitForSelector('.fl-pending-creations', { state: 'detached' });
  await ann.page.keyboard.type('Order checked');
  await ann.page.screenshot({ path: join(docs, 'editing.png') });
  await ben.page.screenshot({ path: join(docs, 'two-users.png') });

  // Pending: hold the proposal at the network for a moment so the state can be seen.
  await ann.page.route('**/*ModelingService/Propose', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  const from = await ann.centerOf('Task_2_2');
  await ann.drag(from, { x: from.x + 60, y: from.y + 80 });
  await ann.page.waitForTimeout(300);
  await ann.page.screenshot({ path: join(docs, 'pending.png') });
  await ann.waitForVersion(4);
  await ann.page.unroute('**/*ModelingService/Propose');

  const center = await ann.centerOf('Task_2_2');
  await ann.page.mouse.dblclick(center.x, center.y);
  await ann.page.fill('.djs-direct-editing-content', 'Check order '.repeat(900));
  await ann.page.mouse.click(center.x + 400, center.y + 200);
  await ann.rejection();
  await ann.page.screenshot({ path: join(docs, 'rejected.png') });

  await ann.page.click('[data-testid=rejection] .fl-close');
  await ann.page.click('text=History');
  await ann.page.click('.fl-version-item >> nth=1');
  await ann.page.waitForTimeout(800);
  await ann.page.screenshot({ path: join(docs, 'history.png') });
} finally {
  await browser.close();
}

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devToken, type ModelingClient } from '../../tests/support/modeling-client.js';
import { shape, task } from '../../tests/support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../tests/support/test-tenant.js';
import { useChromium } from './support/chromium.js';
import { EditorPage } from './support/editor-page.js';
import { seedDiagram } from './support/seed-diagram.js';

/**
 * Each gesture, done with the mouse and keyboard as a user would, becomes a proposal; once
 * applied, the canvas and the server's diagram agree. Given a start event and a task.
 */
describe('gestures become proposals', () => {
  const tenant = uniqueTenant('web-gestures');
  const browser = useChromium();
  let setup: ModelingClient;
  let editor: EditorPage;
  let diagramId: string;

  beforeAll(async () => {
    setup = clientFor(tenant, 'setup', ['editor']);
  });
  beforeEach(async () => {
    diagramId = await seedDiagram(setup, 'Gestures', [
      shape('s', 'bpmn:StartEvent', 100, 122),
      task('t', 250, 'Check'),
    ]);
    editor = await EditorPage.open(browser(), devToken(tenant, 'ann', ['editor']), diagramId);
    return async () => {
      expect(editor.errors).toEqual([]);
      await editor.close();
    };
  });

  /** The server's diagram, as the ids, types and positions on a fresh canvas would be. */
  async function serverXml(): Promise<string> {
    return (await setup.getDiagram(diagramId)).xml;
  }

  it('connect: dragging from the context pad connect tool creates a sequence flow', async () => {
    await editor.select('StartEvent_2_1');
    const pad = editor.page.locator('.djs-context-pad [data-action="connect"]');
    const from = await pad.boundingBox();
    const to = await editor.centerOf('Task_2_2');
    await editor.drag({ x: from!.x + 5, y: from!.y + 5 }, to);
    await editor.waitForVersion(3);
    const flows = await editor.elements('bpmn:SequenceFlow');
    expect(flows.map((f) => [f.sourceId, f.targetId])).toEqual([['StartEvent_2_1', 'Task_2_2']]);
    expect(await serverXml()).toContain(`sourceRef="StartEvent_2_1" targetRef="Task_2_2"`);
  });

  it('append: the context pad appends an end event with its flow, as one version', async () => {
    await editor.select('Task_2_2');
    await editor.page.click('.djs-context-pad [data-action="append.end-event"]');
    await editor.waitForVersion(3);
    expect((await editor.elements('bpmn:EndEvent')).map((e) => e.id)).toEqual(['EndEvent_3_1']);
    expect((await editor.elements('bpmn:SequenceFlow')).map((f) => [f.id, f.sourceId, f.targetId])).toEqual([
      ['SequenceFlow_3_2', 'Task_2_2', 'EndEvent_3_1'],
    ]);
    expect(await serverXml()).toContain('id="EndEvent_3_1"');
  });

  it('move: proposed on dragend; the canvas shows the task where the server put it', async () => {
    const from = await editor.centerOf('Task_2_2');
    await editor.drag(from, { x: from.x + 120, y: from.y + 60 });
    await editor.waitForVersion(3);
    const [task] = await editor.elements('bpmn:Task');
    expect([task!.x, task!.y]).toEqual([370, 160]);
    expect(await serverXml()).toMatch(/id="Task_2_2_di"[^>]*>\s*<dc:Bounds x="370" y="160"/);
  });

  it('label edit: double-click, type, click away → the new name', async () => {
    const center = await editor.centerOf('Task_2_2');
    await editor.page.mouse.dblclick(center.x, center.y);
    await editor.page.keyboard.press('Control+a');
    await editor.page.keyboard.type('Ship order');
    await editor.page.mouse.click(center.x + 300, center.y + 250);
    await editor.waitForVersion(3);
    expect((await editor.elements('bpmn:Task'))[0]!.name).toBe('Ship order');
    expect(await serverXml()).toContain('name="Ship order"');
  });

  it('delete: the context pad removes the task', async () => {
    await editor.select('Task_2_2');
    await editor.page.click('.djs-context-pad [data-action="delete"]');
    await editor.waitForVersion(3);
    expect(await editor.elements('bpmn:Task')).toEqual([]);
    expect(await serverXml()).not.toContain('Task_2_2');
  });

  it('replace: the replace menu turns the task into a user task with the same id', async () => {
    await editor.select('Task_2_2');
    await editor.page.click('.djs-context-pad [data-action="replace"]');
    await editor.page.click('.djs-popup [data-id="replace-with-user-task"]');
    await editor.waitForVersion(3);
    expect((await editor.elements()).find((e) => e.id === 'Task_2_2')?.type).toBe('bpmn:UserTask');
    expect(await serverXml()).toMatch(/<bpmn:userTask id="Task_2_2"/);
  });

  it('resize: dragging a corner handle of a sub-process resizes it', async () => {
    await setup.propose(diagramId, 2, [
      {
        kind: 'createShape',
        id: 'sub',
        type: 'bpmn:SubProcess',
        parentId: '',
        name: '',
        bounds: { x: 450, y: 250, width: 350, height: 200 },
      },
    ]);
    await editor.waitForVersion(3);
    await editor.select('SubProcess_3_1');
    const box = await editor.page.locator('.djs-resizer-se .djs-resizer-hit').boundingBox();
    const start = { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 };
    await editor.drag(start, { x: start.x + 40, y: start.y + 20 });
    await editor.waitForVersion(4);
    const [sub] = await editor.elements('bpmn:SubProcess');
    expect([sub!.x, sub!.y, sub!.width, sub!.height]).toEqual([450, 250, 390, 220]);
    expect(await serverXml()).toMatch(
      /id="SubProcess_3_1_di"[^>]*>\s*<dc:Bounds x="450" y="250" width="390" height="220"/,
    );
  });

  it('waypoints: dragging the middle of a flow moves its segment', async () => {
    await setup.propose(diagramId, 2, [
      {
        kind: 'createConnection',
        id: 'f',
        type: 'bpmn:SequenceFlow',
        sourceId: 'StartEvent_2_1',
        targetId: 'Task_2_2',
        waypoints: [
          { x: 136, y: 140 },
          { x: 250, y: 140 },
        ],
        name: '',
      },
    ]);
    await editor.waitForVersion(3);
    const middle = await editor.screenPoint({ x: 193, y: 140 });
    await editor.page.mouse.move(middle.x, middle.y);
    await editor.drag(middle, { x: middle.x, y: middle.y + 40 });
    await editor.waitForVersion(4);
    const waypoints = await editor.page.evaluate(() =>
      window
        .bpmnjs!.get<{ get(id: string): { waypoints: { x: number; y: number }[] } }>('elementRegistry')
        .get('SequenceFlow_3_1')
        .waypoints.map((p) => ({ x: p.x, y: p.y })),
    );
    expect(waypoints.length).toBeGreaterThan(2);
    const xml = await serverXml();
    for (const p of waypoints) expect(xml).toContain(`<di:waypoint x="${p.x}" y="${p.y}" />`);
  });

  it('properties: editing documentation in the panel proposes update_properties', async () => {
    await editor.select('Task_2_2');
    await editor.page.fill('[data-testid=properties] textarea[name=documentation]', 'Checks stock and credit.');
    await editor.page.keyboard.press('Tab');
    await editor.waitForVersion(3);
    expect(await serverXml()).toContain('<bpmn:documentation>Checks stock and credit.</bpmn:documentation>');
    expect(await editor.page.inputValue('[data-testid=properties] textarea[name=documentation]')).toBe(
      'Checks stock and credit.',
    );
  });
});

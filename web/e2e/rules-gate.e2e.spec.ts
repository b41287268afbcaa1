import { beforeAll, describe, expect, it } from 'vitest';
import { devToken } from '../../tests/support/modeling-client.js';
import { task } from '../../tests/support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../tests/support/test-tenant.js';
import { useChromium } from './support/chromium.js';
import { EditorPage } from './support/editor-page.js';
import { seedDiagram } from './support/seed-diagram.js';

describe('the Rules Gate in the browser', () => {
  const tenant = uniqueTenant('web-gate');
  const browser = useChromium();
  let diagramId: string;

  beforeAll(async () => {
    const setup = clientFor(tenant, 'setup', ['editor']);
    diagramId = await seedDiagram(setup, 'Gate', [task('t', 200, 'Check order')]);
  });

  it('a modeling call from a script without a permit changes nothing locally and sends nothing', async () => {
    const editor = await EditorPage.open(browser(), devToken(tenant, 'ann', ['editor']), diagramId);
    const before = await editor.elements();

    const outcome = await editor.page.evaluate(() => {
      const modeler = window.bpmnjs!;
      const modeling = modeler.get<Record<string, (...a: unknown[]) => unknown>>('modeling');
      const factory = modeler.get<{ createShape(a: unknown): unknown }>('elementFactory');
      const root = modeler.get<{ getRootElement(): unknown }>('canvas').getRootElement();
      const task = modeler.get<{ get(id: string): unknown }>('elementRegistry').get('Task_2_1');
      modeling.createShape!(factory.createShape({ type: 'bpmn:Task' }), { x: 500, y: 300 }, root);
      modeling.moveElements!([task], { x: 100, y: 0 });
      modeling.removeElements!([task]);
      modeler.get<{ undo(): void; canExecute(c: string, x: unknown): boolean }>('commandStack').undo();
      const allowed = modeler.get<{ allowed(a: string, c: unknown): unknown }>('rules').allowed('shape.create', {
        shape: factory.createShape({ type: 'bpmn:Task' }),
        target: root,
        position: { x: 1, y: 1 },
      });
      return { allowed };
    });
    await editor.page.waitForTimeout(500);

    expect(outcome.allowed).toBe(false);
    expect(await editor.elements()).toEqual(before);
    expect(editor.proposals).toHaveLength(0);
    expect(await editor.version()).toBe(2);
    await editor.close();
  });

  it('a rejected proposal leaves the canvas as the server has it and shows the code and reason', async () => {
    const editor = await EditorPage.open(browser(), devToken(tenant, 'ann', ['editor']), diagramId);
    const before = await editor.elements();
    const version = await editor.version();

    // A name over the server's 10 000-character limit: proposed, then refused with LIMIT_EXCEEDED.
    const center = await editor.centerOf('Task_2_1');
    await editor.page.mouse.dblclick(center.x, center.y);
    await editor.page.fill('.djs-direct-editing-content', 'x'.repeat(10_050));
    await editor.page.mouse.click(center.x + 300, center.y + 250);

    const reason = await editor.rejection();
    expect(reason).toMatch(/LIMIT_EXCEEDED/);
    expect(reason).toMatch(/length/i);
    await expect.poll(() => editor.proposals.length).toBe(1);
    expect(await editor.elements()).toEqual(before);
    expect(await editor.version()).toBe(version);
    expect(await editor.page.textContent('[data-testid=status]')).toMatch(/Rejected/);
    await editor.close();
  });

  it('a viewer cannot edit: no palette, gestures and keys propose nothing', async () => {
    const viewer = await EditorPage.open(browser(), devToken(tenant, 'vera', ['viewer']), diagramId);
    const before = await viewer.elements();

    expect(await viewer.page.isVisible('.djs-palette')).toBe(false);
    const center = await viewer.centerOf('Task_2_1');
    await viewer.drag(center, { x: center.x + 150, y: center.y + 100 });
    await viewer.select('Task_2_1');
    await viewer.page.keyboard.press('Delete');
    await viewer.page.keyboard.press('Control+z');
    await viewer.page.waitForTimeout(500);

    expect(await viewer.elements()).toEqual(before);
    expect(viewer.proposals).toHaveLength(0);
    expect(await viewer.status()).toMatch(/view/i);
    await viewer.close();
  });

  it('under a permit a server change executes as one command stack step, and only a permit undoes it', async () => {
    const editor = await EditorPage.open(browser(), devToken(tenant, 'ann', ['editor']), diagramId);
    const result = await editor.page.evaluate(() => {
      const modeler = window.bpmnjs!;
      const registry = modeler.get<{ get(id: string): unknown }>('elementRegistry');
      const stack = modeler.get<{ undo(): void; canUndo(): boolean }>('commandStack');
      const permits = modeler.get<{ run(reason: string, fn: () => void): void; held(): boolean }>('permits');
      const rules = modeler.get<{ allowed(a: string, c: unknown): unknown }>('rules');
      // given a change of two operations, as the server would send it
      const change = [
        {
          op: {
            case: 'createShape',
            value: {
              id: 'a',
              type: 'bpmn:Task',
              parentId: '',
              name: 'A',
              bounds: { x: 500, y: 100, width: 100, height: 80 },
            },
          },
        },
        {
          op: {
            case: 'createShape',
            value: {
              id: 'b',
              type: 'bpmn:Task',
              parentId: '',
              name: 'B',
              bounds: { x: 700, y: 100, width: 100, height: 80 },
            },
          },
        },
      ];
      // when it is applied
      modeler
        .get<{ apply(v: number, ops: unknown[], idMap: Record<string, string>): void }>('changeApplier')
        .apply(99, change, { a: 'Task_99_1', b: 'Task_99_2' });
      const applied = [!!registry.get('Task_99_1'), !!registry.get('Task_99_2')];
      // then undo without a permit does nothing; with one, the whole change goes in one step
      stack.undo();
      const afterRefusedUndo = [!!registry.get('Task_99_1'), !!registry.get('Task_99_2')];
      let allowedInside: unknown;
      permits.run('apply', () => {
        allowedInside = rules.allowed('elements.delete', { elements: [] });
        stack.undo();
      });
      const afterUndo = [!!registry.get('Task_99_1'), !!registry.get('Task_99_2')];
      return { applied, afterRefusedUndo, afterUndo, allowedInside, held: permits.held() };
    });
    expect(result.applied).toEqual([true, true]);
    expect(result.afterRefusedUndo).toEqual([true, true]);
    expect(result.afterUndo).toEqual([false, false]);
    expect(result.allowedInside).not.toBe(false);
    expect(result.held).toBe(false);
    expect(editor.proposals).toHaveLength(0);
    await editor.close();
  });
});

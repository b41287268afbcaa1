import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import MoveModule from 'diagram-js/lib/features/move/index.js';
import changeApplierModule from '../change-applier/index.js';
import type ChangeApplier from '../change-applier/change-applier.js';
import type { Operation } from '../operations.js';
import { asUserGesture, bootstrapModeler, canvasEvent, type Harness } from '../test-support/modeler-harness.js';
import rulesGateModule from './index.js';
import type Permits from './permits.js';
import type RulesGate from './rules-gate.js';
import type { RefusedCommand } from './gated-command-stack.js';
import diagramXml from './rules-gate.bpmn?raw';

interface Element {
  id: string;
  x: number;
  y: number;
}
type Rules = { allowed(action: string, context: unknown): unknown };
type Stack = { canUndo(): boolean; canRedo(): boolean; undo(): void; redo(): void };
type Modeling = Record<string, (...args: unknown[]) => unknown>;

/** The Rules Gate (DESIGN.md §7): nothing changes the canvas without a permit. */
describe('Rules Gate', () => {
  let harness: Harness;
  let rules: Rules;
  let stack: Stack;
  let permits: Permits;
  let modeling: Modeling;
  let task: Element;
  let root: Element;

  beforeEach(async () => {
    harness = await bootstrapModeler(diagramXml, [rulesGateModule, changeApplierModule, MoveModule]);
    rules = harness.get<Rules>('rules');
    stack = harness.get<Stack>('commandStack');
    permits = harness.get<Permits>('permits');
    modeling = harness.get<Modeling>('modeling');
    task = harness.get<{ get(id: string): Element }>('elementRegistry').get('Task_1');
    root = harness.get<{ getRootElement(): Element }>('canvas').getRootElement();
  });
  afterEach(() => harness.destroy());

  function newTask(): unknown {
    return harness.get<{ createShape(a: unknown): unknown }>('elementFactory').createShape({ type: 'bpmn:Task' });
  }

  describe('canExecute', () => {
    it('denies every modeling action without a permit', () => {
      // given no permit
      // when the tools and the command stack ask
      const asked = {
        create: rules.allowed('shape.create', { shape: newTask(), target: root, position: { x: 500, y: 300 } }),
        move: rules.allowed('elements.move', { shapes: [task], delta: { x: 10, y: 0 }, target: root }),
        remove: rules.allowed('elements.delete', { elements: [task] }),
        commandStack: harness
          .get<{ canExecute(c: string, x: unknown): unknown }>('commandStack')
          .canExecute('shape.move', { shape: task, delta: { x: 10, y: 0 } }),
      };

      // then the gate says no to all of them
      expect(asked).toEqual({ create: false, move: false, remove: false, commandStack: false });
      expect(harness.get<RulesGate>('rulesGate').decide()).toBe('deny');
    });

    it('allows with a permit, and then bpmn-js rules decide as in bpmn.io', () => {
      // given a permit
      const asked = permits.run('apply', () => ({
        create: rules.allowed('shape.create', { shape: newTask(), target: root, position: { x: 500, y: 300 } }),
        // a task cannot be created inside a task: the BPMN rules still say so under a permit
        createInTask: rules.allowed('shape.create', { shape: newTask(), target: task, position: { x: 300, y: 140 } }),
        decision: harness.get<RulesGate>('rulesGate').decide(),
      }));

      // then
      expect(asked).toEqual({ create: true, createInTask: false, decision: 'execute' });
      // and the permit ends with the call
      expect(permits.held()).toBe(false);
    });
  });

  it('a direct modeling call without a permit changes nothing and proposes nothing', () => {
    // given
    const before = harness.canvasState();
    const denied = harness.record<RefusedCommand>('rulesGate.denied');
    const gestures = harness.record<RefusedCommand>('rulesGate.gesture');

    // when a script calls modeling
    modeling.createShape!(newTask(), { x: 500, y: 300 }, root);
    modeling.moveElements!([task], { x: 100, y: 0 });
    modeling.updateLabel!(task, 'Renamed');
    modeling.removeElements!([task]);
    stack.undo();

    // then the canvas is as it was, nothing was kept, and each command was refused
    expect(harness.canvasState()).toEqual(before);
    expect([stack.canUndo(), stack.canRedo()]).toEqual([false, false]);
    expect(denied.map((d) => d.command)).toEqual([
      'shape.create',
      'elements.move',
      'element.updateLabel',
      'elements.delete',
    ]);
    expect(gestures).toEqual([]);
  });

  it('during a user gesture the tools may preview, but the drop is proposed, not executed', async () => {
    // given the move tool, driven by a real (trusted) input event
    const before = harness.canvasState();
    const gestures = harness.record<RefusedCommand>('rulesGate.gesture');
    const dragging = harness.get<{
      setOptions(o: unknown): void;
      move(e: unknown): void;
      hover(e: unknown): void;
      end(): void;
    }>('dragging');
    dragging.setOptions({ manual: true });
    let previewAllowed: unknown;

    // when the user drags the task 100 to the right and drops it
    await asUserGesture(() => {
      harness
        .get<{ start(e: unknown, s: unknown): void }>('move')
        .start(canvasEvent(harness, { x: 300, y: 140 }), task);
      const rootGfx = harness.get<{ getGraphics(e: unknown): unknown }>('elementRegistry').getGraphics(root);
      dragging.hover({ element: root, gfx: rootGfx });
      dragging.move(canvasEvent(harness, { x: 400, y: 140 }));
      previewAllowed = rules.allowed('elements.move', { shapes: [task], delta: { x: 100, y: 0 }, target: root });
      dragging.end();
    });

    // then the preview was allowed, the move became a gesture to propose, and the canvas is unchanged
    expect(previewAllowed).toBe(true);
    expect(gestures.map((g) => g.command)).toEqual(['elements.move']);
    expect(harness.canvasState()).toEqual(before);
    expect(stack.canUndo()).toBe(false);
  });

  it('a viewer’s gesture is denied, not proposed', async () => {
    // given a read-only editor
    harness.get<RulesGate>('rulesGate').setReadOnly(true);
    const gestures = harness.record<RefusedCommand>('rulesGate.gesture');
    let allowed: unknown;

    // when the user's input would move the task
    await asUserGesture(() => {
      allowed = rules.allowed('elements.move', { shapes: [task], delta: { x: 100, y: 0 }, target: root });
      modeling.moveElements!([task], { x: 100, y: 0 });
    });

    // then
    expect(allowed).toBe(false);
    expect(gestures).toEqual([]);
    expect(harness.canvasState().get('Task_1')!.bounds).toEqual({ x: 250, y: 100, width: 100, height: 80 });
  });

  it('an applied change executes under a permit as one command stack step; only a permit undoes it', () => {
    // given a change of two operations, as the server sends it
    const before = harness.canvasState();
    const change: Operation[] = [
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
      { op: { case: 'moveElements', value: { elementIds: ['Task_1'], delta: { x: 0, y: 200 }, newParentId: '' } } },
    ];

    // when it is applied
    harness.get<ChangeApplier>('changeApplier').apply(2, change, { a: 'Task_2_1' });
    const applied = harness.canvasState();

    // then both operations are on the canvas
    expect(applied.get('Task_2_1')?.bounds).toEqual({ x: 500, y: 100, width: 100, height: 80 });
    expect(applied.get('Task_1')?.bounds).toEqual({ x: 250, y: 300, width: 100, height: 80 });

    // when undone without a permit: nothing
    stack.undo();
    expect(harness.canvasState()).toEqual(applied);

    // when undone under a permit: the whole change, in one step
    permits.run('apply', () => stack.undo());
    expect(harness.canvasState()).toEqual(before);
    expect(stack.canUndo()).toBe(false);

    // and redone under a permit: all of it again
    permits.run('apply', () => stack.redo());
    expect(harness.canvasState()).toEqual(applied);
  });
});

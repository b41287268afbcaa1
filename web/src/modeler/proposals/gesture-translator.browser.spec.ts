import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import MoveModule from 'diagram-js/lib/features/move/index.js';
import ReplaceModule from 'bpmn-js/lib/features/replace/index.js';
import changeApplierModule from '../change-applier/index.js';
import type ChangeApplier from '../change-applier/change-applier.js';
import type { Operation } from '../operations.js';
import type Permits from '../rules-gate/permits.js';
import { asUserGesture, bootstrapModeler, canvasEvent, type Harness } from '../test-support/modeler-harness.js';
import { propertiesPanel } from '../../pages/properties-panel.js';
import proposalsModule from './index.js';
import type { Proposal } from './gesture-translator.js';
import diagramXml from './gesture-translator.bpmn?raw';

type Modeling = Record<string, (...args: unknown[]) => unknown>;
type Stack = { canUndo(): boolean; canRedo(): boolean; undo(): void; redo(): void };

/**
 * A user's gesture becomes a proposal: the contract operations it amounts to, with nothing
 * kept on the canvas. Applied as the server would answer (ids unchanged), it is one undo step.
 * Given a start event connected to a task, an end event and an empty sub-process.
 */
describe('gesture → proposal', () => {
  let harness: Harness;
  let modeling: Modeling;
  let proposals: Proposal[];

  beforeEach(async () => {
    harness = await bootstrapModeler(diagramXml, [proposalsModule, changeApplierModule, MoveModule, ReplaceModule]);
    modeling = harness.get<Modeling>('modeling');
    proposals = harness.record<Proposal>('proposals.proposed');
  });
  afterEach(() => harness.destroy());

  const element = (id: string) => harness.get<{ get(id: string): unknown }>('elementRegistry').get(id);
  const root = () => harness.get<{ getRootElement(): unknown }>('canvas').getRootElement();

  /**
   * when the user makes the gesture, then: exactly one proposal whose operations match
   * `expected`, nothing kept locally; and applied as the server would, undo and redo work.
   */
  async function expectGesture(gesture: () => void, expected: (operations: Operation[]) => void): Promise<void> {
    const before = harness.canvasState();
    const stack = harness.get<Stack>('commandStack');

    await asUserGesture(gesture);

    expect(proposals).toHaveLength(1);
    const [proposal] = proposals;
    expected(proposal!.operations);
    expect(harness.canvasState()).toEqual(before);
    expect([stack.canUndo(), stack.canRedo()]).toEqual([false, false]);

    // applied (temporary ids kept as the permanent ones), it is one step that undo reverts
    const idMap = Object.fromEntries(proposal!.operations.flatMap(createdId).map((id) => [id, id]));
    harness.get<ChangeApplier>('changeApplier').apply(2, proposal!.operations, idMap);
    const applied = harness.canvasState();
    expect(applied).not.toEqual(before);
    const permits = harness.get<Permits>('permits');
    permits.run('apply', () => stack.undo());
    expect(harness.canvasState()).toEqual(before);
    permits.run('apply', () => stack.redo());
    expect(harness.canvasState()).toEqual(applied);
    // and the proposal's inverse brings the canvas back
    harness.get<ChangeApplier>('changeApplier').apply(3, proposal!.inverse, {});
    expect(withoutRenamed(harness.canvasState())).toEqual(withoutRenamed(before));
  }

  it('create: a task dropped on the diagram', async () => {
    const shape = harness
      .get<{ createShape(a: unknown): unknown }>('elementFactory')
      .createShape({ type: 'bpmn:Task' });
    await expectGesture(
      () => modeling.createShape!(shape, { x: 700, y: 140 }, root()),
      (operations) => {
        expect(operations).toEqual([
          {
            op: {
              case: 'createShape',
              value: {
                id: expect.any(String),
                type: 'bpmn:Task',
                parentId: '',
                name: '',
                bounds: { x: 650, y: 100, width: 100, height: 80 },
              },
            },
          },
        ]);
      },
    );
  });

  it('move: dragging the task with the move tool moves it and its flow on dragend', async () => {
    const dragging = harness.get<{
      setOptions(o: unknown): void;
      move(e: unknown): void;
      hover(e: unknown): void;
      end(): void;
    }>('dragging');
    dragging.setOptions({ manual: true });
    await expectGesture(
      () => {
        harness
          .get<{ start(e: unknown, s: unknown): void }>('move')
          .start(canvasEvent(harness, { x: 300, y: 140 }), element('Task_1'));
        const gfx = harness.get<{ getGraphics(e: unknown): unknown }>('elementRegistry').getGraphics(root());
        dragging.hover({ element: root(), gfx });
        dragging.move(canvasEvent(harness, { x: 340, y: 140 }));
        dragging.end();
      },
      (operations) => {
        // the flow's end follows the task: bpmn-js's layout behaviour is part of the proposal
        expect(operations[0]).toEqual({
          op: { case: 'moveElements', value: { elementIds: ['Task_1'], delta: { x: 40, y: 0 }, newParentId: '' } },
        });
        expect(operations.slice(1).map((o) => [o.op.case, (o.op.value as { elementId: string }).elementId])).toEqual([
          ['updateWaypoints', 'Flow_1'],
        ]);
      },
    );
  });

  it('connect: a sequence flow from the task to the end event', async () => {
    await expectGesture(
      () => modeling.connect!(element('Task_1'), element('EndEvent_1')),
      (operations) => {
        expect(operations).toHaveLength(1);
        expect(operations[0]!.op.case).toBe('createConnection');
        expect(operations[0]!.op.value).toMatchObject({
          type: 'bpmn:SequenceFlow',
          sourceId: 'Task_1',
          targetId: 'EndEvent_1',
          name: '',
        });
        expect((operations[0]!.op.value as { waypoints: unknown[] }).waypoints.length).toBeGreaterThanOrEqual(2);
      },
    );
  });

  it('resize: the sub-process made larger', async () => {
    await expectGesture(
      () => modeling.resizeShape!(element('SubProcess_1'), { x: 100, y: 260, width: 400, height: 220 }),
      (operations) => {
        expect(operations).toEqual([
          {
            op: {
              case: 'resizeShape',
              value: { elementId: 'SubProcess_1', bounds: { x: 100, y: 260, width: 400, height: 220 } },
            },
          },
        ]);
      },
    );
  });

  it('delete: the task, its flow going with it (the server cascades)', async () => {
    await expectGesture(
      () => modeling.removeElements!([element('Task_1')]),
      (operations) => {
        expect(operations).toEqual([{ op: { case: 'deleteElements', value: { elementIds: ['Task_1'] } } }]);
      },
    );
  });

  it('replace: the task into a user task, keeping its id', async () => {
    await expectGesture(
      () =>
        harness
          .get<{ replaceElement(e: unknown, t: unknown): unknown }>('bpmnReplace')
          .replaceElement(element('Task_1'), { type: 'bpmn:UserTask' }),
      (operations) => {
        expect(operations).toEqual([
          { op: { case: 'replaceElement', value: { elementId: 'Task_1', newType: 'bpmn:UserTask' } } },
        ]);
      },
    );
  });

  it('label edit: the task renamed', async () => {
    await expectGesture(
      () => modeling.updateLabel!(element('Task_1'), 'Ship order'),
      (operations) => {
        expect(operations).toEqual([
          { op: { case: 'updateProperties', value: { elementId: 'Task_1', properties: { name: 'Ship order' } } } },
        ]);
      },
    );
  });

  it('waypoints: the flow given a bend', async () => {
    const waypoints = [
      { x: 136, y: 140 },
      { x: 190, y: 140 },
      { x: 190, y: 180 },
      { x: 250, y: 180 },
    ];
    await expectGesture(
      () => modeling.updateWaypoints!(element('Flow_1'), waypoints),
      (operations) => {
        expect(operations).toEqual([{ op: { case: 'updateWaypoints', value: { elementId: 'Flow_1', waypoints } } }]);
      },
    );
  });

  it('properties: documentation edited in the panel is proposed and not applied locally', async () => {
    // given the panel on the selected task
    const panel = propertiesPanel(harness.modeler, true);
    document.body.append(panel);
    harness.get<{ select(e: unknown): void }>('selection').select(element('Task_1'));
    const field = panel.querySelector<HTMLTextAreaElement>('textarea[name=documentation]')!;
    const before = harness.canvasState();

    // when the user types and leaves the field
    field.value = 'Checks stock and credit.';
    field.dispatchEvent(new Event('change'));

    // then one update_properties proposal, with its inverse; the model is unchanged
    expect(proposals.map((p) => [p.operations, p.inverse])).toEqual([
      [
        [
          {
            op: {
              case: 'updateProperties',
              value: { elementId: 'Task_1', properties: { documentation: 'Checks stock and credit.' } },
            },
          },
        ],
        [{ op: { case: 'updateProperties', value: { elementId: 'Task_1', properties: { documentation: null } } } }],
      ],
    ]);
    const bo = (element('Task_1') as { businessObject: { documentation?: unknown[] } }).businessObject;
    expect(bo.documentation ?? []).toEqual([]);
    expect(harness.canvasState()).toEqual(before);
    panel.remove();
  });
});

function createdId(operation: Operation): string[] {
  const { op } = operation;
  return op.case === 'createShape' || op.case === 'createConnection' ? [op.value.id] : [];
}

/** A re-created element gets a new id from the server; compare the rest. */
function withoutRenamed(state: Map<string, unknown>): unknown[] {
  return [...state.values()]
    .map((e) => ({ ...(e as object), id: undefined }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

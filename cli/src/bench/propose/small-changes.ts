import type { Operation } from '@flowledger/bpmn-operations';

/** The element a benchmark editor works around: a task with a shape, and the process holding it. */
export interface EditAnchor {
  taskId: string;
  processId: string;
  bounds: { x: number; y: number; width: number; height: number };
}

/** What an editor created in the previous step (permanent ids), so the next step can delete it. */
export interface EditorMemory {
  createdTaskId?: string;
}

export type SmallChangeKind = 'move' | 'rename' | 'create-task-and-flow' | 'delete-task';

/** The cycle each editor repeats: it keeps the diagram's size steady over a run. */
export const CHANGE_CYCLE: readonly SmallChangeKind[] = ['move', 'rename', 'create-task-and-flow', 'delete-task'];

/**
 * The operations of an editor's `step`-th small change (pure). Moves go right then back;
 * names carry the step; a created task sits below the anchor, connected from it, and is
 * deleted (with its flow) by the next step.
 */
export function smallChange(
  anchor: EditAnchor,
  editor: number,
  step: number,
  memory: EditorMemory,
): { kind: SmallChangeKind; operations: Operation[] } {
  const kind = CHANGE_CYCLE[step % CHANGE_CYCLE.length]!;
  switch (kind) {
    case 'move': {
      const dx = Math.floor(step / CHANGE_CYCLE.length) % 2 === 0 ? 10 : -10;
      return {
        kind,
        operations: [{ kind: 'moveElements', elementIds: [anchor.taskId], delta: { x: dx, y: 0 }, newParentId: '' }],
      };
    }
    case 'rename':
      return { kind, operations: rename(anchor, editor, step) };
    case 'create-task-and-flow': {
      const { x, y, height } = anchor.bounds;
      const taskId = `benchTask${editor}`;
      return {
        kind,
        operations: [
          {
            kind: 'createShape',
            id: taskId,
            type: 'bpmn:Task',
            parentId: anchor.processId,
            bounds: {
              x: x + 20 * (editor % 10),
              y: y + height + 60 + 20 * Math.floor(editor / 10),
              width: 100,
              height: 80,
            },
            name: `New e${editor}`,
          },
          {
            kind: 'createConnection',
            id: `benchFlow${editor}`,
            type: 'bpmn:SequenceFlow',
            sourceId: anchor.taskId,
            targetId: taskId,
            waypoints: [],
            name: '',
          },
        ],
      };
    }
    case 'delete-task':
      // Nothing to delete (the create was never applied): rename instead, still a small change.
      if (!memory.createdTaskId) return { kind: 'rename', operations: rename(anchor, editor, step) };
      return { kind, operations: [{ kind: 'deleteElements', elementIds: [memory.createdTaskId] }] };
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown change ${String(unreachable)}`);
    }
  }
}

function rename(anchor: EditAnchor, editor: number, step: number): Operation[] {
  return [{ kind: 'updateProperties', elementId: anchor.taskId, properties: { name: `Task e${editor} s${step}` } }];
}

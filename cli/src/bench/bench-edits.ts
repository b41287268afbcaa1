import type { Operation } from '@flowledger/bpmn-operations';

/** `grow`: a task per version; `steady`: `tasks` tasks, then a rename per version. */
export type Edits = { kind: 'grow' } | { kind: 'steady'; tasks: number };

/**
 * Small edits: a task per version, every other one wired to the first — for `steady`, only up to
 * its `tasks`, after which each version renames one of them (the server's ids: `Task_<version>_1`).
 */
export function seedOperations(v: number, edits: Edits): Operation[] {
  if (edits.kind === 'steady' && v > edits.tasks + 1) {
    return [
      { kind: 'updateProperties', elementId: `Task_${2 + (v % edits.tasks)}_1`, properties: { name: `step ${v}` } },
    ];
  }
  const task: Operation = {
    kind: 'createShape',
    id: `t${v}`,
    type: 'bpmn:Task',
    parentId: '',
    bounds: { x: 100 + (v % 20) * 130, y: 100 + Math.floor(v / 20) * 120, width: 100, height: 80 },
    name: `step ${v}`,
  };
  if (v === 2 || v % 2 === 1) return [task];
  return [
    task,
    {
      kind: 'createConnection',
      id: `f${v}`,
      type: 'bpmn:SequenceFlow',
      sourceId: 'Task_2_1',
      targetId: `t${v}`,
      waypoints: [],
      name: '',
    },
  ];
}

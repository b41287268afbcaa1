import { describe, expect, it } from 'vitest';
import type { DiagramSnapshot, ElementSnapshot } from './element-snapshot.js';
import { diffSnapshots } from './snapshot-diff.js';

const options = { rootId: 'Process_1', freshId: (id: string) => `${id}_new` };

function diagram(...elements: ElementSnapshot[]): DiagramSnapshot {
  return new Map(elements.map((e) => [e.id, e]));
}
function task(id: string, x: number, y: number, extra: Partial<ElementSnapshot> = {}): ElementSnapshot {
  return { id, kind: 'shape', type: 'bpmn:Task', parentId: '', bounds: { x, y, width: 100, height: 80 }, ...extra };
}
function flow(id: string, sourceId: string, targetId: string, points: number[][]): ElementSnapshot {
  return {
    id,
    kind: 'connection',
    type: 'bpmn:SequenceFlow',
    parentId: '',
    sourceId,
    targetId,
    waypoints: points.map(([x, y]) => ({ x: x!, y: y! })),
  };
}

describe('gesture → proposal: the difference a gesture made, as contract operations', () => {
  it('create: a new shape becomes createShape with its bounds, parent and name', () => {
    // given an empty process, when a task is dropped
    const ops = diffSnapshots(diagram(), diagram(task('Activity_tmp', 200, 100, { name: 'Check' })), options);
    // then
    expect(ops).toEqual([
      {
        op: {
          case: 'createShape',
          value: {
            id: 'Activity_tmp',
            type: 'bpmn:Task',
            parentId: '',
            bounds: { x: 200, y: 100, width: 100, height: 80 },
            name: 'Check',
          },
        },
      },
    ]);
  });

  it('append: the new shape comes before the connection that names it', () => {
    const before = diagram(task('A', 0, 0));
    const after = diagram(
      task('A', 0, 0),
      task('B_tmp', 200, 0),
      flow('F_tmp', 'A', 'B_tmp', [
        [100, 40],
        [200, 40],
      ]),
    );
    expect(diffSnapshots(before, after, options).map((o) => o.op.case)).toEqual(['createShape', 'createConnection']);
    expect(diffSnapshots(before, after, options)[1]!.op.value).toMatchObject({ sourceId: 'A', targetId: 'B_tmp' });
  });

  it('boundary event: its activity is the parent', () => {
    const event: ElementSnapshot = { ...task('E', 80, 60), type: 'bpmn:BoundaryEvent', hostId: 'A' };
    const [op] = diffSnapshots(diagram(task('A', 0, 0)), diagram(task('A', 0, 0), event), options);
    expect(op!.op.value).toMatchObject({ parentId: 'A' });
  });

  it('move: shapes moved by one delta are one moveElements; a flow between them joins; a flow to an unmoved shape gets its new waypoints', () => {
    const before = diagram(
      task('A', 0, 0),
      task('B', 200, 0),
      task('C', 400, 0),
      flow('AB', 'A', 'B', [
        [100, 40],
        [200, 40],
      ]),
      flow('BC', 'B', 'C', [
        [300, 40],
        [400, 40],
      ]),
    );
    const after = diagram(
      task('A', 10, 50),
      task('B', 210, 50),
      task('C', 400, 0),
      flow('AB', 'A', 'B', [
        [110, 90],
        [210, 90],
      ]),
      flow('BC', 'B', 'C', [
        [310, 90],
        [350, 90],
        [350, 40],
        [400, 40],
      ]),
    );
    expect(diffSnapshots(before, after, options)).toEqual([
      {
        op: { case: 'moveElements', value: { elementIds: ['A', 'B', 'AB'], delta: { x: 10, y: 50 }, newParentId: '' } },
      },
      {
        op: {
          case: 'updateWaypoints',
          value: {
            elementId: 'BC',
            waypoints: [
              { x: 310, y: 90 },
              { x: 350, y: 90 },
              { x: 350, y: 40 },
              { x: 400, y: 40 },
            ],
          },
        },
      },
    ]);
  });

  it('move into a sub-process names the new parent; out of it, the root', () => {
    const sub: ElementSnapshot = {
      ...task('Sub', 0, 200),
      type: 'bpmn:SubProcess',
      bounds: { x: 0, y: 200, width: 400, height: 300 },
    };
    const inside = diffSnapshots(
      diagram(sub, task('A', 0, 0)),
      diagram(sub, task('A', 50, 250, { parentId: 'Sub' })),
      options,
    );
    expect(inside[0]!.op.value).toMatchObject({ elementIds: ['A'], newParentId: 'Sub' });
    const outside = diffSnapshots(
      diagram(sub, task('A', 50, 250, { parentId: 'Sub' })),
      diagram(sub, task('A', 0, 0)),
      options,
    );
    expect(outside[0]!.op.value).toMatchObject({ elementIds: ['A'], newParentId: 'Process_1' });
  });

  it('resize: a changed size is resizeShape with the new bounds', () => {
    const ops = diffSnapshots(
      diagram(task('A', 0, 0)),
      diagram({ ...task('A', 0, 0), bounds: { x: 0, y: 0, width: 150, height: 90 } }),
      options,
    );
    expect(ops).toEqual([
      { op: { case: 'resizeShape', value: { elementId: 'A', bounds: { x: 0, y: 0, width: 150, height: 90 } } } },
    ]);
  });

  it('label edit: a new name is updateProperties (text for annotations, null when cleared)', () => {
    expect(diffSnapshots(diagram(task('A', 0, 0)), diagram(task('A', 0, 0, { name: 'Ship' })), options)).toEqual([
      { op: { case: 'updateProperties', value: { elementId: 'A', properties: { name: 'Ship' } } } },
    ]);
    const note: ElementSnapshot = { ...task('N', 0, 0), type: 'bpmn:TextAnnotation', name: 'old' };
    expect(diffSnapshots(diagram(note), diagram({ ...note, name: undefined }), options)[0]!.op.value).toEqual({
      elementId: 'N',
      properties: { text: null },
    });
  });

  it('delete: what the server cascades anyway (flows of a deleted task) is not listed', () => {
    const before = diagram(
      task('A', 0, 0),
      task('B', 200, 0),
      flow('AB', 'A', 'B', [
        [100, 40],
        [200, 40],
      ]),
    );
    expect(diffSnapshots(before, diagram(task('A', 0, 0)), options)).toEqual([
      { op: { case: 'deleteElements', value: { elementIds: ['B'] } } },
    ]);
  });

  it('reconnect: a flow with a new end is deleted and created again under a fresh temporary id', () => {
    const before = diagram(
      task('A', 0, 0),
      task('B', 200, 0),
      task('C', 400, 0),
      flow('F', 'A', 'B', [
        [100, 40],
        [200, 40],
      ]),
    );
    const after = diagram(
      task('A', 0, 0),
      task('B', 200, 0),
      task('C', 400, 0),
      flow('F', 'A', 'C', [
        [100, 40],
        [400, 40],
      ]),
    );
    expect(diffSnapshots(before, after, options).map((o) => [o.op.case, o.op.value])).toEqual([
      ['deleteElements', { elementIds: ['F'] }],
      [
        'createConnection',
        {
          id: 'F_new',
          type: 'bpmn:SequenceFlow',
          sourceId: 'A',
          targetId: 'C',
          waypoints: [
            { x: 100, y: 40 },
            { x: 400, y: 40 },
          ],
          name: '',
        },
      ],
    ]);
  });

  it('nothing changed (e.g. a label moved on its own): no operations', () => {
    expect(diffSnapshots(diagram(task('A', 0, 0)), diagram(task('A', 0, 0)), options)).toEqual([]);
  });
});

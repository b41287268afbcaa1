import { describe, expect, it } from 'vitest';
import type { MoveElements } from '../operation.js';
import { apply, element, givenDiagram, ids, reread, rejectionOf, shapeBounds, waypoints } from './diagram-fixtures.js';

const move = (over: Partial<MoveElements>): MoveElements => ({
  kind: 'moveElements',
  elementIds: ['Task_2'],
  delta: { x: 10, y: -5 },
  newParentId: '',
  ...over,
});

describe('moveElements', () => {
  it('moves shapes, edges and labels by the delta; unlisted connections keep their waypoints', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    const change = await apply(diagram, [move({ elementIds: ['Task_2', 'EndEvent_1', 'Flow_4'] })]);

    // then
    expect(shapeBounds(diagram, 'Task_2')).toEqual({ x: 480, y: 73, width: 100, height: 80 });
    expect(diagram.diByElementId.get('EndEvent_1')!.label.bounds).toMatchObject({ x: 381, y: 260 });
    expect(waypoints(diagram, 'Flow_4')).toEqual([
      { x: 395, y: 138 },
      { x: 395, y: 217 },
    ]);
    expect(waypoints(diagram, 'Flow_3')).toEqual([
      { x: 410, y: 118 },
      { x: 470, y: 118 },
    ]);
    expect(change.touchedElementIds).toEqual(['Task_2', 'EndEvent_1', 'Flow_4']);
    await reread(diagram);
  });

  it('moves nodes into a sub-process with their boundary events and the flows between them', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    await apply(diagram, [
      { kind: 'deleteElements', elementIds: ['Flow_1', 'Flow_2'] },
      move({
        elementIds: ['Task_1', 'Gateway_1', 'Task_2', 'EndEvent_1'],
        delta: { x: 0, y: 300 },
        newParentId: 'SubProcess_1',
      }),
    ]);

    // then
    const sub = element(diagram, 'SubProcess_1');
    for (const id of ['Task_1', 'BoundaryEvent_1', 'Gateway_1', 'Flow_3', 'Flow_4'])
      expect(element(diagram, id).$parent).toBe(sub);
    expect(ids(element(diagram, 'Process_1').flowElements)).not.toContain('Flow_3');
    await reread(diagram);
  });

  it('moves a node to another lane of its pool', async () => {
    const diagram = await givenDiagram('collaboration');
    await apply(diagram, [move({ elementIds: ['StartEvent_A'], delta: { x: 0, y: 125 }, newParentId: 'Lane_A2' })]);
    expect(ids(element(diagram, 'Lane_A1').flowNodeRef)).toEqual([]);
    expect(ids(element(diagram, 'Lane_A2').flowNodeRef)).toEqual(['Task_A', 'StartEvent_A']);
    await reread(diagram);
  });

  it('moves a node into another pool, joining the lane its shape lies in', async () => {
    const diagram = await givenDiagram('collaboration');
    await apply(diagram, [
      {
        kind: 'createShape',
        id: 't',
        type: 'bpmn:Task',
        parentId: 'Participant_B',
        bounds: { x: 500, y: 385, width: 100, height: 80 },
        name: '',
      },
      move({ elementIds: ['t'], delta: { x: 0, y: -300 }, newParentId: 'Participant_A' }),
    ]);
    expect(element(diagram, 'Task_7_1').$parent!.id).toBe('Process_A');
    expect(ids(element(diagram, 'Lane_A1').flowNodeRef)).toContain('Task_7_1');
  });

  describe('refuses', () => {
    it.each([
      ['an unknown element', move({ elementIds: ['Nope'] }), 'unknown element'],
      ['an empty selection', move({ elementIds: [] }), 'at least one element'],
      [
        'a move that leaves a sequence flow crossing a border',
        move({ newParentId: 'SubProcess_1' }),
        'crossing a container border',
      ],
      [
        'a sub-process moved into itself',
        move({ elementIds: ['SubProcess_1'], newParentId: 'SubProcess_1' }),
        'into itself',
      ],
      ['an element without DI', move({ elementIds: ['Process_1'] }), 'not drawn'],
      ['a non-finite delta', move({ delta: { x: Number.NaN, y: 0 } }), 'finite'],
    ])('%s as INVALID_OPERATION', async (_, operation, message) => {
      const error = await rejectionOf(await givenDiagram('process'), [operation]);
      expect(error.code).toBe('INVALID_OPERATION');
      expect(error.message).toContain(message);
    });

    it('a move that puts a message flow within one pool', async () => {
      const error = await rejectionOf(await givenDiagram('collaboration'), [
        move({ elementIds: ['Task_B'], newParentId: 'Participant_A' }),
      ]);
      expect(error.message).toContain('within one pool');
    });
  });
});

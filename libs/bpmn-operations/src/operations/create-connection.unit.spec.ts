import { describe, expect, it } from 'vitest';
import type { CreateConnection, CreateShape, Operation } from '../operation.js';
import { apply, element, givenDiagram, ids, reread, rejectionOf, waypoints } from './diagram-fixtures.js';

const connection = (over: Partial<CreateConnection>): CreateConnection => ({
  kind: 'createConnection',
  id: 'c',
  type: 'bpmn:SequenceFlow',
  sourceId: 'Task_2',
  targetId: 'EndEvent_1',
  waypoints: [
    { x: 520, y: 158 },
    { x: 520, y: 240 },
    { x: 403, y: 240 },
  ],
  name: '',
  ...over,
});

const task = (id: string, parentId = ''): CreateShape => ({
  kind: 'createShape',
  id,
  type: 'bpmn:Task',
  parentId,
  bounds: { x: 650, y: 78, width: 100, height: 80 },
  name: '',
});

describe('createConnection', () => {
  it('creates a sequence flow with its edge and links both ends', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    const change = await apply(diagram, [connection({ name: 'fixed' })]);

    // then
    expect(change.idMap).toEqual({ c: 'SequenceFlow_7_1' });
    const flow = element(diagram, 'SequenceFlow_7_1');
    expect([flow.sourceRef.id, flow.targetRef.id, flow.name, flow.$parent!.id]).toEqual([
      'Task_2',
      'EndEvent_1',
      'fixed',
      'Process_1',
    ]);
    expect(ids(element(diagram, 'Task_2').outgoing)).toEqual(['SequenceFlow_7_1']);
    expect(ids(element(diagram, 'EndEvent_1').incoming)).toEqual(['Flow_4', 'SequenceFlow_7_1']);
    expect(waypoints(diagram, 'SequenceFlow_7_1')).toHaveLength(3);
    expect(diagram.diByElementId.get('SequenceFlow_7_1')!.id).toBe('SequenceFlow_7_1_di');
    await reread(diagram);
  });

  it('connects shapes created earlier in the same proposal by their temporary ids', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    const change = await apply(diagram, [
      task('new'),
      connection({ sourceId: 'Task_2', targetId: 'new', waypoints: [] }),
    ]);

    // then
    expect(change.idMap).toEqual({ new: 'Task_7_1', c: 'SequenceFlow_7_2' });
    expect(change.resolved[1]).toMatchObject({ id: 'SequenceFlow_7_2', sourceId: 'Task_2', targetId: 'Task_7_1' });
    // Without waypoints the edge runs from centre to centre.
    expect(waypoints(diagram, 'SequenceFlow_7_2')).toEqual([
      { x: 520, y: 118 },
      { x: 700, y: 118 },
    ]);
    await reread(diagram);
  });

  it('creates a message flow between pools in the collaboration', async () => {
    const diagram = await givenDiagram('collaboration');
    const change = await apply(diagram, [
      connection({ type: 'bpmn:MessageFlow', sourceId: 'Task_B', targetId: 'Participant_A' }),
    ]);
    const flow = element(diagram, change.idMap.c!);
    expect(flow.$parent!.id).toBe('Collaboration_1');
    expect([flow.sourceRef.id, flow.targetRef.id]).toEqual(['Task_B', 'Participant_A']);
    await reread(diagram);
  });

  it('creates an association to a text annotation', async () => {
    const diagram = await givenDiagram('process');
    const change = await apply(diagram, [
      connection({ type: 'bpmn:Association', sourceId: 'Task_2', targetId: 'TextAnnotation_1' }),
    ]);
    expect(element(diagram, change.idMap.c!).$parent!.id).toBe('Process_1');
    await reread(diagram);
  });

  it('creates data input and output associations', async () => {
    // given
    const diagram = await givenDiagram('process');
    const data: CreateShape = {
      ...task('data'),
      type: 'bpmn:DataObjectReference',
      bounds: { x: 650, y: 200, width: 36, height: 50 },
    };

    // when
    const change = await apply(diagram, [
      data,
      connection({ id: 'out', type: 'bpmn:DataOutputAssociation', sourceId: 'Task_2', targetId: 'data' }),
      connection({ id: 'in', type: 'bpmn:DataInputAssociation', sourceId: 'data', targetId: 'Task_1' }),
    ]);

    // then
    expect(ids(element(diagram, 'Task_2').dataOutputAssociations)).toEqual([change.idMap.out]);
    const input = element(diagram, change.idMap.in!);
    expect(input.$parent!.id).toBe('Task_1');
    expect(input.targetRef.name).toBe('__targetRef_placeholder');
    await reread(diagram);
  });

  describe('refuses', () => {
    const cases: [string, 'process' | 'collaboration', Operation[], string][] = [
      ['a shape type', 'process', [connection({ type: 'bpmn:Task' })], 'not a connection type'],
      ['an unknown type', 'process', [connection({ type: 'bpmn:Flow' })], 'not a connection type'],
      ['an unknown source', 'process', [connection({ sourceId: 'Nope' })], 'unknown element "Nope"'],
      ['an id used in the diagram', 'process', [connection({ id: 'Flow_1' })], 'already used'],
      [
        'a sequence flow into a start event',
        'process',
        [connection({ targetId: 'StartEvent_1' })],
        'cannot enter a start event',
      ],
      [
        'a sequence flow out of an end event',
        'process',
        [connection({ sourceId: 'EndEvent_1', targetId: 'Task_2' })],
        'cannot leave an end event',
      ],
      [
        'a sequence flow into a boundary event',
        'process',
        [connection({ targetId: 'BoundaryEvent_1' })],
        'boundary event',
      ],
      ['a sequence flow into a sub-process', 'process', [connection({ targetId: 'Task_3' })], 'cannot cross'],
      [
        'a sequence flow from an annotation',
        'process',
        [connection({ sourceId: 'TextAnnotation_1' })],
        'must be bpmn:FlowNode',
      ],
      [
        'a sequence flow across pools',
        'collaboration',
        [connection({ sourceId: 'Task_A', targetId: 'Task_B' })],
        'cannot cross',
      ],
      [
        'a message flow within one pool',
        'collaboration',
        [connection({ type: 'bpmn:MessageFlow', sourceId: 'Task_A', targetId: 'Participant_A' })],
        'within one pool',
      ],
      ['a message flow without pools', 'process', [connection({ type: 'bpmn:MessageFlow' })], 'need a collaboration'],
      [
        'a message flow out of a start event',
        'collaboration',
        [connection({ type: 'bpmn:MessageFlow', sourceId: 'StartEvent_A', targetId: 'Task_B' })],
        'catching event',
      ],
      [
        'an association between two tasks',
        'process',
        [connection({ type: 'bpmn:Association' })],
        'text annotation or group',
      ],
      [
        'a data output association to a task',
        'process',
        [connection({ type: 'bpmn:DataOutputAssociation' })],
        'target of a data output association',
      ],
      ['a single waypoint', 'process', [connection({ waypoints: [{ x: 1, y: 1 }] })], 'at least 2 waypoints'],
    ];
    it.each(cases)('%s as INVALID_OPERATION', async (_, fixture, operations, message) => {
      const diagram = await givenDiagram(fixture);
      const error = await rejectionOf(diagram, operations);
      expect(error.code).toBe('INVALID_OPERATION');
      expect(error.message).toContain(message);
      expect(error.operationIndex).toBe(0);
    });

    it('too many waypoints as LIMIT_EXCEEDED', async () => {
      const diagram = await givenDiagram('process');
      const many = Array.from({ length: 300 }, (_, i) => ({ x: i, y: i }));
      const error = await rejectionOf(diagram, [connection({ waypoints: many })]);
      expect(error.code).toBe('LIMIT_EXCEEDED');
      expect(error.message).toContain('waypoints per connection: 300 > max 200');
    });
  });
});

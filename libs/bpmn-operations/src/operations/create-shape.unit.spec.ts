import { describe, expect, it } from 'vitest';
import { emptyDiagramXml, parseDiagram } from '../diagram.js';
import type { CreateShape } from '../operation.js';
import { apply, element, givenDiagram, ids, reread, rejectionOf, shapeBounds } from './diagram-fixtures.js';

const bounds = { x: 600, y: 300, width: 100, height: 80 };
const shape = (over: Partial<CreateShape>): CreateShape => ({
  kind: 'createShape',
  id: 'tmp',
  type: 'bpmn:Task',
  parentId: '',
  bounds,
  name: '',
  ...over,
});

describe('createShape', () => {
  it('creates a task in the root process with its shape, under the permanent id', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    const change = await apply(diagram, [shape({ name: 'Review' })]);

    // then
    expect(change.idMap).toEqual({ tmp: 'Task_7_1' });
    const task = element(diagram, 'Task_7_1');
    expect(task.$type).toBe('bpmn:Task');
    expect(task.name).toBe('Review');
    expect(task.$parent!.id).toBe('Process_1');
    expect(diagram.diByElementId.get('Task_7_1')!.id).toBe('Task_7_1_di');
    expect(shapeBounds(diagram, 'Task_7_1')).toEqual(bounds);
    expect(change.resolved).toEqual([shape({ id: 'Task_7_1', name: 'Review' })]);
    expect(change.touchedElementIds).toEqual(['Task_7_1']);
    await reread(diagram);
  });

  it('numbers new elements by their position among the proposal’s new elements', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    const change = await apply(diagram, [
      shape({ id: 'a', type: 'bpmn:UserTask' }),
      { kind: 'updateProperties', elementId: 'a', properties: { name: 'x' } },
      shape({ id: 'b', type: 'bpmn:EndEvent', bounds: { x: 800, y: 300, width: 36, height: 36 } }),
    ]);

    // then
    expect(change.idMap).toEqual({ a: 'UserTask_7_1', b: 'EndEvent_7_2' });
  });

  it('skips a permanent id already taken by appending _2', async () => {
    // given
    const diagram = await parseDiagram(
      emptyDiagramXml().replace(
        '<bpmn:process id="Process_1" isExecutable="false" />',
        '<bpmn:process id="Process_1" isExecutable="false"><bpmn:task id="Task_7_1" /></bpmn:process>',
      ),
    );

    // when
    const change = await apply(diagram, [shape({})]);

    // then
    expect(change.idMap).toEqual({ tmp: 'Task_7_1_2' });
  });

  it('places a shape in a sub-process', async () => {
    const diagram = await givenDiagram('process');
    const change = await apply(diagram, [
      shape({ parentId: 'SubProcess_1', bounds: { x: 350, y: 380, width: 60, height: 40 } }),
    ]);
    expect(element(diagram, change.idMap.tmp!).$parent!.id).toBe('SubProcess_1');
    await reread(diagram);
  });

  it('places a shape in a pool and the lane its centre lies in', async () => {
    // given
    const diagram = await givenDiagram('collaboration');

    // when
    const change = await apply(diagram, [
      shape({ parentId: 'Participant_A', bounds: { x: 450, y: 90, width: 100, height: 60 } }),
    ]);

    // then
    const task = element(diagram, change.idMap.tmp!);
    expect(task.$parent!.id).toBe('Process_A');
    expect(ids(element(diagram, 'Lane_A1').flowNodeRef)).toContain(task.id);
    expect(ids(element(diagram, 'Lane_A2').flowNodeRef)).not.toContain(task.id);
    await reread(diagram);
  });

  it('places a shape in a named lane', async () => {
    const diagram = await givenDiagram('collaboration');
    const change = await apply(diagram, [
      shape({ parentId: 'Lane_A2', bounds: { x: 450, y: 200, width: 100, height: 60 } }),
    ]);
    expect(ids(element(diagram, 'Lane_A2').flowNodeRef)).toEqual(['Task_A', change.idMap.tmp]);
    expect(element(diagram, change.idMap.tmp!).$parent!.id).toBe('Process_A');
  });

  it('attaches a boundary event to the activity named as parent', async () => {
    const diagram = await givenDiagram('process');
    const change = await apply(diagram, [
      shape({ type: 'bpmn:BoundaryEvent', parentId: 'Task_2', bounds: { x: 500, y: 140, width: 36, height: 36 } }),
    ]);
    const event = element(diagram, change.idMap.tmp!);
    expect(event.attachedToRef.id).toBe('Task_2');
    expect(event.$parent!.id).toBe('Process_1');
    await reread(diagram);
  });

  it('turns a process diagram into a collaboration with the first pool, which adopts the process', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    const change = await apply(diagram, [
      shape({ type: 'bpmn:Participant', name: 'Company', bounds: { x: 50, y: 0, width: 800, height: 600 } }),
      shape({ id: 'pool2', type: 'bpmn:Participant', bounds: { x: 50, y: 650, width: 800, height: 200 } }),
    ]);

    // then
    const collaboration = element(diagram, 'Collaboration_7_1');
    expect(ids(collaboration.participants)).toEqual(['Participant_7_1', 'Participant_7_2']);
    expect(element(diagram, 'Participant_7_1').processRef.id).toBe('Process_1');
    expect(element(diagram, 'Participant_7_2').processRef.id).toBe('Process_7_2');
    expect(diagram.definitions.diagrams[0].plane.bpmnElement.id).toBe('Collaboration_7_1');
    expect(change.idMap).toEqual({ tmp: 'Participant_7_1', pool2: 'Participant_7_2' });
    await reread(diagram);
  });

  it('creates the first lane of a pool, which takes the pool’s flow nodes, and a nested lane', async () => {
    // given
    const diagram = await givenDiagram('collaboration');

    // when
    const change = await apply(diagram, [
      shape({
        id: 'lane',
        type: 'bpmn:Lane',
        parentId: 'Participant_B',
        bounds: { x: 130, y: 350, width: 570, height: 150 },
      }),
      shape({ id: 'inner', type: 'bpmn:Lane', parentId: 'lane', bounds: { x: 160, y: 350, width: 540, height: 150 } }),
    ]);

    // then
    const lane = element(diagram, change.idMap.lane!);
    expect(lane.$parent!.id).toBe('LaneSet_7_1');
    expect(ids(lane.flowNodeRef)).toEqual(['Task_B']);
    expect(ids(lane.childLaneSet.lanes)).toEqual([change.idMap.inner]);
    await reread(diagram);
  });

  it('creates a data object reference with its data object', async () => {
    const diagram = await givenDiagram('process');
    const change = await apply(diagram, [
      shape({ type: 'bpmn:DataObjectReference', bounds: { x: 600, y: 200, width: 36, height: 50 } }),
    ]);
    expect(element(diagram, change.idMap.tmp!).dataObjectRef.id).toBe('DataObject_7_1');
    await reread(diagram);
  });

  it('puts a text annotation’s name into its text', async () => {
    const diagram = await givenDiagram('process');
    const change = await apply(diagram, [shape({ type: 'bpmn:TextAnnotation', name: 'Remember' })]);
    expect(element(diagram, change.idMap.tmp!).text).toBe('Remember');
  });

  describe('refuses', () => {
    it.each([
      ['an id used in the diagram', [shape({ id: 'Task_1' })], 'already used'],
      ['a temporary id used twice', [shape({}), shape({})], 'used twice'],
      ['an empty id', [shape({ id: '' })], 'temporary id'],
      ['an unknown type', [shape({ type: 'bpmn:Tusk' })], 'not a concrete BPMN type'],
      ['a type outside BPMN', [shape({ type: 'dc:Bounds' })], 'not a concrete BPMN type'],
      ['an abstract type', [shape({ type: 'bpmn:Activity' })], 'not a concrete BPMN type'],
      ['a connection type', [shape({ type: 'bpmn:SequenceFlow' })], 'use createConnection'],
      ['a type that is no shape', [shape({ type: 'bpmn:Process' })], 'cannot be created as a shape'],
      ['an unknown parent', [shape({ parentId: 'Nope' })], 'unknown element "Nope"'],
      ['a parent that holds no flow elements', [shape({ parentId: 'Task_1' })], 'cannot contain flow elements'],
      ['a boundary event without attachment', [shape({ type: 'bpmn:BoundaryEvent' })], 'boundary event must name'],
      [
        'a boundary event on a gateway',
        [shape({ type: 'bpmn:BoundaryEvent', parentId: 'Gateway_1' })],
        'boundary event must name',
      ],
      ['a lane outside a pool', [shape({ type: 'bpmn:Lane' })], 'lane needs a participant'],
      [
        'a pool inside a process',
        [shape({ type: 'bpmn:Participant', parentId: 'Process_1' })],
        'must be a collaboration',
      ],
      ['empty bounds', [shape({ bounds: { x: 0, y: 0, width: 0, height: 10 } })], 'positive width'],
    ])('%s as INVALID_OPERATION', async (_, operations, message) => {
      const diagram = await givenDiagram('process');
      const error = await rejectionOf(diagram, operations as CreateShape[]);
      expect(error.code).toBe('INVALID_OPERATION');
      expect(error.message).toContain(message);
    });

    it('a name longer than the limit as LIMIT_EXCEEDED', async () => {
      const diagram = await givenDiagram('process');
      const error = await rejectionOf(diagram, [shape({ name: 'x'.repeat(11) })], { maxStringLength: 10 });
      expect(error.code).toBe('LIMIT_EXCEEDED');
      expect(error.message).toContain('name length: 11 > max 10');
    });

    it('a diagram grown past the element limit as LIMIT_EXCEEDED', async () => {
      const diagram = await givenDiagram('process');
      const error = await rejectionOf(diagram, [shape({})], { maxElementsPerDiagram: 19 });
      expect(error.code).toBe('LIMIT_EXCEEDED');
      expect(error.message).toMatch(/elements per diagram: \d+ > max 19/);
    });
  });
});

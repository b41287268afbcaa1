import { describe, expect, it } from 'vitest';
import { parseDiagram, serializeDiagram } from '../diagram.js';
import { apply, element, givenDiagram, ids, reread, rejectionOf } from './diagram-fixtures.js';

const remove = (...elementIds: string[]) => ({ kind: 'deleteElements' as const, elementIds });

describe('deleteElements', () => {
  it('deletes a task with its flows, boundary event, association and DI', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    const change = await apply(diagram, [remove('Task_1')]);

    // then
    for (const id of ['Task_1', 'Flow_1', 'Flow_2', 'BoundaryEvent_1', 'TimerEventDefinition_1', 'Association_1']) {
      expect(diagram.elementsById.has(id), id).toBe(false);
      expect(diagram.diByElementId.has(id), id).toBe(false);
    }
    expect(ids(element(diagram, 'StartEvent_1').outgoing)).toEqual([]);
    expect(ids(element(diagram, 'Gateway_1').incoming)).toEqual([]);
    expect(element(diagram, 'TextAnnotation_1')).toBeDefined();
    expect(change.touchedElementIds.sort()).toEqual(
      ['Association_1', 'BoundaryEvent_1', 'Flow_1', 'Flow_2', 'Task_1'].sort(),
    );
    expect(await serializeDiagram(diagram)).not.toContain('Task_1');
    await reread(diagram);
  });

  it('deletes the flows of a task even when the XML lists no <incoming>/<outgoing> (as many tools write it)', async () => {
    // given a process whose flows are known only by their sourceRef/targetRef
    const diagram = await parseDiagram(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <bpmn:process id="P">
    <bpmn:startEvent id="S" />
    <bpmn:task id="T" />
    <bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T" />
    <bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="E" />
  </bpmn:process>
</bpmn:definitions>`);

    // when the task is deleted
    await apply(diagram, [remove('T')]);

    // then both flows went with it, and the result names nothing that is gone
    expect(['T', 'F1', 'F2'].filter((id) => diagram.elementsById.has(id))).toEqual([]);
    expect(await serializeDiagram(diagram)).not.toMatch(/F1|F2|"T"/);
    await reread(diagram);
  });

  it('deletes a sub-process with everything inside it', async () => {
    const diagram = await givenDiagram('process');
    await apply(diagram, [remove('SubProcess_1')]);
    for (const id of ['SubProcess_1', 'StartEvent_2', 'Task_3', 'Flow_5'])
      expect(diagram.elementsById.has(id), id).toBe(false);
    await reread(diagram);
  });

  it('unsets the default of a gateway whose default flow is deleted', async () => {
    const diagram = await givenDiagram('process');
    await apply(diagram, [
      { kind: 'updateProperties', elementId: 'Gateway_1', properties: { default: 'Flow_4' } },
      remove('Flow_4'),
    ]);
    expect(element(diagram, 'Gateway_1').default).toBeUndefined();
    expect(ids(element(diagram, 'EndEvent_1').incoming)).toEqual([]);
    await reread(diagram);
  });

  it('removes a deleted node from its lane and keeps the lane', async () => {
    const diagram = await givenDiagram('collaboration');
    await apply(diagram, [remove('Task_A')]);
    expect(ids(element(diagram, 'Lane_A2').flowNodeRef)).toEqual([]);
    expect(diagram.elementsById.has('MessageFlow_1')).toBe(false);
    await reread(diagram);
  });

  it('deletes a lane but keeps its flow nodes', async () => {
    const diagram = await givenDiagram('collaboration');
    await apply(diagram, [remove('Lane_A1')]);
    expect(diagram.elementsById.has('Lane_A1')).toBe(false);
    expect(element(diagram, 'StartEvent_A').$parent!.id).toBe('Process_A');
    await reread(diagram);
  });

  it('deletes a pool with its process, content and message flows', async () => {
    const diagram = await givenDiagram('collaboration');
    await apply(diagram, [remove('Participant_B')]);
    for (const id of ['Participant_B', 'Process_B', 'Task_B', 'MessageFlow_1'])
      expect(diagram.elementsById.has(id), id).toBe(false);
    await reread(diagram);
  });

  it('deletes a data object reference with the data associations to and from it', async () => {
    // given
    const diagram = await givenDiagram('process');
    const data = { x: 650, y: 200, width: 36, height: 50 };
    const change = await apply(diagram, [
      { kind: 'createShape', id: 'd', type: 'bpmn:DataObjectReference', parentId: '', bounds: data, name: '' },
      {
        kind: 'createConnection',
        id: 'out',
        type: 'bpmn:DataOutputAssociation',
        sourceId: 'Task_2',
        targetId: 'd',
        waypoints: [],
        name: '',
      },
      {
        kind: 'createConnection',
        id: 'in',
        type: 'bpmn:DataInputAssociation',
        sourceId: 'd',
        targetId: 'Task_1',
        waypoints: [],
        name: '',
      },
    ]);

    // when
    await apply(diagram, [remove(change.idMap.d!)]);

    // then
    expect(element(diagram, 'Task_2').dataOutputAssociations).toEqual([]);
    expect(element(diagram, 'Task_1').dataInputAssociations).toEqual([]);
    expect(element(diagram, 'Task_1').properties).toEqual([]);
    await reread(diagram);
  });

  it('deletes an element created earlier in the same proposal', async () => {
    const diagram = await givenDiagram('process');
    const change = await apply(diagram, [
      {
        kind: 'createShape',
        id: 't',
        type: 'bpmn:Task',
        parentId: '',
        bounds: { x: 700, y: 80, width: 100, height: 80 },
        name: '',
      },
      remove('t'),
    ]);
    expect(change.idMap).toEqual({ t: 'Task_7_1' });
    expect(change.resolved[1]).toEqual(remove('Task_7_1'));
    expect(diagram.elementsById.has('Task_7_1')).toBe(false);
  });

  it.each([
    ['an unknown element', remove('Nope'), 'unknown element'],
    ['the process', remove('Process_1'), 'cannot be deleted'],
    ['nothing', remove(), 'at least one element'],
  ])('refuses %s as INVALID_OPERATION', async (_, operation, message) => {
    const error = await rejectionOf(await givenDiagram('process'), [operation]);
    expect(error.code).toBe('INVALID_OPERATION');
    expect(error.message).toContain(message);
  });

  it('deletes a data object with its references, and lets DI edges go of the shapes it removes', async () => {
    // given a data object shown by a reference, and a DI edge (of no element) drawn from that shape
    const diagram = await parseDiagram(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="D" targetNamespace="urn:t">
  <bpmn:process id="P">
    <bpmn:task id="T" />
    <bpmn:dataObjectReference id="Ref" dataObjectRef="Obj" />
    <bpmn:dataObject id="Obj" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Dia"><bpmndi:BPMNPlane id="Plane" bpmnElement="P">
    <bpmndi:BPMNShape id="T_di" bpmnElement="T"><dc:Bounds x="0" y="0" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="Ref_di" bpmnElement="Ref"><dc:Bounds x="200" y="0" width="36" height="50" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="Line" sourceElement="Ref_di" targetElement="T_di"><di:waypoint x="200" y="25" /><di:waypoint x="100" y="40" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`);

    // when
    await apply(diagram, [remove('Obj')]);

    // then the reference and its shape are gone; the edge stays, drawn to the task only
    expect(['Obj', 'Ref', 'Ref_di'].filter((id) => diagram.elementsById.has(id))).toEqual([]);
    const line = element(diagram, 'Line');
    expect([line.sourceElement, line.targetElement?.id]).toEqual([undefined, 'T_di']);
    const xml = await serializeDiagram(diagram);
    expect(await serializeDiagram(await parseDiagram(xml))).toBe(xml);
    await reread(diagram);
  });

  it('deletes the data associations of an activity outside a deleted sub-process that read its data', async () => {
    // given a task reading a data object reference that sits inside a sub-process
    const diagram = await parseDiagram(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="urn:t">
  <bpmn:process id="P">
    <bpmn:task id="T">
      <bpmn:property id="In" name="__targetRef_placeholder" />
      <bpmn:dataInputAssociation id="A">
        <bpmn:sourceRef>Ref</bpmn:sourceRef>
        <bpmn:targetRef>In</bpmn:targetRef>
      </bpmn:dataInputAssociation>
    </bpmn:task>
    <bpmn:subProcess id="S">
      <bpmn:dataObjectReference id="Ref" dataObjectRef="Obj" />
      <bpmn:dataObject id="Obj" />
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`);

    // when
    await apply(diagram, [remove('S')]);

    // then the task stays, without the association that read what went
    expect(['S', 'Ref', 'Obj', 'A'].filter((id) => diagram.elementsById.has(id))).toEqual([]);
    expect(element(diagram, 'T').dataInputAssociations ?? []).toEqual([]);
    const xml = await serializeDiagram(diagram);
    expect(await serializeDiagram(await parseDiagram(xml))).toBe(xml);
    await reread(diagram);
  });
});

import { describe, expect, it } from 'vitest';
import { parseDiagram, serializeDiagram } from '../diagram.js';
import { apply, element, givenDiagram, ids, reread, rejectionOf, shapeBounds } from './diagram-fixtures.js';

const replace = (elementId: string, newType: string) => ({ kind: 'replaceElement' as const, elementId, newType });

describe('replaceElement', () => {
  it('changes a task into a user task, keeping id, name, flows, boundary event, association, lane and DI', async () => {
    // given
    const diagram = await givenDiagram('process');
    const boundsBefore = shapeBounds(diagram, 'Task_1');

    // when
    const change = await apply(diagram, [replace('Task_1', 'bpmn:UserTask')]);

    // then
    const task = element(diagram, 'Task_1');
    expect(task.$type).toBe('bpmn:UserTask');
    expect(task.name).toBe('Check');
    expect(ids(task.incoming)).toEqual(['Flow_1']);
    expect(ids(task.outgoing)).toEqual(['Flow_2']);
    expect(element(diagram, 'Flow_1').targetRef).toBe(task);
    expect(element(diagram, 'Flow_2').sourceRef).toBe(task);
    expect(element(diagram, 'BoundaryEvent_1').attachedToRef).toBe(task);
    expect(element(diagram, 'Association_1').sourceRef).toBe(task);
    expect(diagram.diByElementId.get('Task_1')!.bpmnElement).toBe(task);
    expect(shapeBounds(diagram, 'Task_1')).toEqual(boundsBefore);
    expect(change.touchedElementIds).toEqual(['Task_1']);
    await reread(diagram);
  });

  it('keeps lane membership and message flows', async () => {
    const diagram = await givenDiagram('collaboration');
    await apply(diagram, [replace('Task_A', 'bpmn:SendTask')]);
    const task = element(diagram, 'Task_A');
    expect(element(diagram, 'Lane_A2').flowNodeRef).toContain(task);
    expect(element(diagram, 'MessageFlow_1').sourceRef).toBe(task);
    await reread(diagram);
  });

  it('keeps the content of a sub-process turned into a transaction', async () => {
    const diagram = await givenDiagram('process');
    await apply(diagram, [replace('SubProcess_1', 'bpmn:Transaction')]);
    expect(element(diagram, 'Task_3').$parent!.$type).toBe('bpmn:Transaction');
    await reread(diagram);
  });

  it('keeps event definitions of an event that stays an event', async () => {
    const diagram = await givenDiagram('process');
    await apply(diagram, [replace('EndEvent_1', 'bpmn:IntermediateThrowEvent')]);
    expect(element(diagram, 'EndEvent_1').$type).toBe('bpmn:IntermediateThrowEvent');
    expect(ids(element(diagram, 'EndEvent_1').incoming)).toEqual(['Flow_4']);
  });

  it.each([
    ['a task into a sequence flow', replace('Task_1', 'bpmn:SequenceFlow'), 'only flow nodes'],
    ['a flow into a task', replace('Flow_1', 'bpmn:Task'), 'only flow nodes'],
    ['a task into a start event while it has incoming flows', replace('Task_1', 'bpmn:StartEvent'), 'incoming flows'],
    ['a task into an end event while it has outgoing flows', replace('Task_1', 'bpmn:EndEvent'), 'outgoing flows'],
    ['a sub-process with content into a task', replace('SubProcess_1', 'bpmn:Task'), 'keep its content'],
    ['a task with a boundary event into a gateway', replace('Task_1', 'bpmn:ExclusiveGateway'), 'boundary events'],
    [
      'a boundary event into an intermediate event',
      replace('BoundaryEvent_1', 'bpmn:IntermediateCatchEvent'),
      'stay boundary events',
    ],
    ['an unknown type', replace('Task_1', 'bpmn:Tusk'), 'not a concrete BPMN type'],
    ['an unknown element', replace('Nope', 'bpmn:Task'), 'unknown element'],
  ])('refuses %s as INVALID_OPERATION', async (_, operation, message) => {
    const error = await rejectionOf(await givenDiagram('process'), [operation]);
    expect(error.code).toBe('INVALID_OPERATION');
    expect(error.message).toContain(message);
  });

  it('drops what the new type cannot hold and the references to it, so the XML reads back the same', async () => {
    // given a start event with a data output, written to a data object by its association
    const diagram = await parseDiagram(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="urn:t">
  <bpmn:process id="P">
    <bpmn:startEvent id="Start">
      <bpmn:dataOutput id="Out" />
      <bpmn:dataOutputAssociation id="A">
        <bpmn:sourceRef>Out</bpmn:sourceRef>
        <bpmn:targetRef>Ref</bpmn:targetRef>
      </bpmn:dataOutputAssociation>
    </bpmn:startEvent>
    <bpmn:dataObjectReference id="Ref" dataObjectRef="Obj" />
    <bpmn:dataObject id="Obj" />
  </bpmn:process>
</bpmn:definitions>`);

    // when it becomes a task (a task keeps data in an ioSpecification, not in dataOutputs)
    await apply(diagram, [replace('Start', 'bpmn:Task')]);

    // then the output is gone from the index and the association, which still writes to the object
    expect(diagram.elementsById.has('Out')).toBe(false);
    const association = element(diagram, 'A');
    expect(ids(association.sourceRef)).toEqual([]);
    expect(association.targetRef).toBe(element(diagram, 'Ref'));
    const xml = await serializeDiagram(diagram);
    expect(await serializeDiagram(await parseDiagram(xml))).toBe(xml);
    await reread(diagram);
  });

  it('drops an association whose target the new type cannot hold, with its DI edge', async () => {
    // given a throw event reading a data object into its data input, the association drawn
    const diagram = await parseDiagram(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="D" targetNamespace="urn:t">
  <bpmn:process id="P">
    <bpmn:intermediateThrowEvent id="Throw">
      <bpmn:dataInput id="In" />
      <bpmn:dataInputAssociation id="A">
        <bpmn:sourceRef>Ref</bpmn:sourceRef>
        <bpmn:targetRef>In</bpmn:targetRef>
      </bpmn:dataInputAssociation>
    </bpmn:intermediateThrowEvent>
    <bpmn:dataObjectReference id="Ref" dataObjectRef="Obj" />
    <bpmn:dataObject id="Obj" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Dia"><bpmndi:BPMNPlane id="Plane" bpmnElement="P">
    <bpmndi:BPMNShape id="Throw_di" bpmnElement="Throw"><dc:Bounds x="0" y="0" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="Ref_di" bpmnElement="Ref"><dc:Bounds x="200" y="0" width="36" height="50" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="A_di" bpmnElement="A" targetElement="Throw_di"><di:waypoint x="200" y="25" /><di:waypoint x="36" y="18" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`);

    // when it becomes a task (a task keeps data inputs in an ioSpecification, not beside it)
    await apply(diagram, [replace('Throw', 'bpmn:Task')]);

    // then the input, the association that targeted it and the association's edge are gone
    expect(['In', 'A', 'A_di'].filter((id) => diagram.elementsById.has(id))).toEqual([]);
    expect(diagram.diByElementId.has('A')).toBe(false);
    const xml = await serializeDiagram(diagram);
    expect(xml).not.toContain('A_di');
    expect(await serializeDiagram(await parseDiagram(xml))).toBe(xml);
    await reread(diagram);
  });
});

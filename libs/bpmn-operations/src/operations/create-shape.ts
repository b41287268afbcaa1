import { checkTemporaryId, permanentId, register, requireElement, type ApplyState } from '../apply-state.js';
import {
  collaborationOf,
  flowContainerOf,
  lanesOf,
  processOfParticipant,
  rootProcess,
  semanticContainerFor,
} from '../model/containers.js';
import { addShapeDi, checkBounds } from '../model/di.js';
import { laneAt } from '../model/lanes.js';
import { addTo } from '../model/element-lists.js';
import { isConnectionType, isShapeType } from '../model/element-kinds.js';
import { isConcreteBpmnType, moddle, type ModdleElement } from '../model/moddle.js';
import type { Bounds, CreateShape } from '../operation.js';
import { invalidOperation } from '../operation-error.js';
import { checkStringLength } from '../operation-limits.js';
import { markChanged } from '../serialization/chunk-cache.js';

/**
 * Creates a flow node, data reference, artifact, lane or participant and its shape.
 * Where it goes depends on its type and `parentId` (see README, "createShape").
 */
export function createShape(state: ApplyState, op: CreateShape): CreateShape {
  checkTemporaryId(state, op.id);
  checkShapeType(op.type, op.id);
  checkStringLength('name', op.name, state.limits, op.id);
  checkBounds(op.bounds, op.id);
  const parent = op.parentId === '' ? undefined : requireElement(state, op.parentId);
  const ordinal = ++state.createdCount;
  const element = moddle.create(op.type, { id: permanentId(state, op.type, ordinal) });
  if (op.name !== '') element.set(element.$instanceOf('bpmn:TextAnnotation') ? 'text' : 'name', op.name);

  const shownIn = place(state, element, parent, op.bounds, ordinal);
  register(state, element);
  addShapeDi(state, element, op.bounds, shownIn);
  state.idMap[op.id] = element.id as string;
  state.touched.add(element.id as string);
  return { ...op, id: element.id as string, parentId: parent ? (parent.id as string) : '' };
}

/** Puts the element into its semantic container; returns the element whose plane shows it. */
function place(
  state: ApplyState,
  element: ModdleElement,
  parent: ModdleElement | undefined,
  bounds: Bounds,
  ordinal: number,
): ModdleElement {
  if (element.$instanceOf('bpmn:Participant')) return placeParticipant(state, element, parent, ordinal);
  if (element.$instanceOf('bpmn:Lane')) return placeLane(state, element, parent, ordinal);
  if (element.$instanceOf('bpmn:BoundaryEvent')) return placeBoundaryEvent(state, element, parent);
  if (element.$instanceOf('bpmn:Artifact') && parent?.$instanceOf('bpmn:Collaboration')) {
    return adopt(parent, 'artifacts', element);
  }
  const { container, lane } = semanticContainerFor(state, parent, ordinal);
  if (element.$instanceOf('bpmn:Artifact')) return adopt(container, 'artifacts', element);

  adopt(container, 'flowElements', element);
  if (element.$instanceOf('bpmn:DataObjectReference')) {
    const dataObject = moddle.create('bpmn:DataObject', { id: permanentId(state, 'bpmn:DataObject', ordinal) });
    adopt(container, 'flowElements', dataObject);
    register(state, dataObject);
    element.dataObjectRef = dataObject;
  }
  const joined = lane ?? laneAt(state, container, bounds);
  if (joined && element.$instanceOf('bpmn:FlowNode')) addTo(joined, 'flowNodeRef', element);
  return parent ?? container;
}

/**
 * A pool goes into the collaboration. The first pool of a process diagram creates the
 * collaboration (`Collaboration_<version>_<ordinal>`), takes over the first plane and adopts the
 * existing root process with its content, as a modeler does; later pools get a new process.
 */
function placeParticipant(
  state: ApplyState,
  participant: ModdleElement,
  parent: ModdleElement | undefined,
  ordinal: number,
): ModdleElement {
  if (parent && !parent.$instanceOf('bpmn:Collaboration')) {
    throw invalidOperation(
      `a participant's parent must be a collaboration, not ${parent.$type}`,
      parent.id,
      'invalid-parent',
    );
  }
  let collaboration = parent ?? collaborationOf(state);
  if (!collaboration) {
    const process = rootProcess(state);
    collaboration = moddle.create('bpmn:Collaboration', {
      id: permanentId(state, 'bpmn:Collaboration', ordinal),
    });
    const definitions = state.diagram.definitions;
    collaboration.$parent = definitions;
    listInsertBefore(definitions, 'rootElements', collaboration, process);
    register(state, collaboration);
    const plane = definitions.diagrams?.[0]?.plane as ModdleElement | undefined;
    if (plane?.bpmnElement === process) plane.bpmnElement = collaboration;
    markChanged(plane);
    participant.processRef = process;
  }
  adopt(collaboration, 'participants', participant);
  processOfParticipant(state, participant, ordinal);
  return collaboration;
}

/** A lane goes into its pool's (or parent lane's) lane set, created when missing. The first lane of a pool takes its flow nodes. */
function placeLane(
  state: ApplyState,
  lane: ModdleElement,
  parent: ModdleElement | undefined,
  ordinal: number,
): ModdleElement {
  if (parent?.$instanceOf('bpmn:Participant')) {
    const process = processOfParticipant(state, parent, ordinal);
    const laneSet =
      (process.laneSets as ModdleElement[] | undefined)?.[0] ?? newLaneSet(state, process, 'laneSets', ordinal);
    const first = ((laneSet.lanes ?? []) as ModdleElement[]).length === 0;
    adopt(laneSet, 'lanes', lane);
    if (first) {
      for (const node of (process.flowElements ?? []) as ModdleElement[]) {
        if (node.$instanceOf('bpmn:FlowNode')) addTo(lane, 'flowNodeRef', node);
      }
    }
    return parent;
  }
  if (parent?.$instanceOf('bpmn:Lane')) {
    const laneSet =
      (parent.childLaneSet as ModdleElement | undefined) ?? newLaneSet(state, parent, 'childLaneSet', ordinal);
    adopt(laneSet, 'lanes', lane);
    return parent;
  }
  throw invalidOperation('a lane needs a participant or a lane as its parent', lane.id as string, 'invalid-parent');
}

/** A boundary event is attached to the activity named as its parent and lives in that activity's container. */
function placeBoundaryEvent(state: ApplyState, event: ModdleElement, parent: ModdleElement | undefined): ModdleElement {
  if (!parent?.$instanceOf('bpmn:Activity')) {
    throw invalidOperation(
      'a boundary event must name the activity it is attached to as its parent',
      event.id,
      'boundary-attachment',
    );
  }
  const container = flowContainerOf(parent)!;
  event.attachedToRef = parent;
  adopt(container, 'flowElements', event);
  for (const lane of lanesOf(container)) {
    if (((lane.flowNodeRef ?? []) as ModdleElement[]).includes(parent)) addTo(lane, 'flowNodeRef', event);
  }
  return container;
}

function newLaneSet(state: ApplyState, owner: ModdleElement, property: string, ordinal: number): ModdleElement {
  const laneSet = moddle.create('bpmn:LaneSet', { id: permanentId(state, 'bpmn:LaneSet', ordinal) });
  if (property === 'laneSets') addTo(owner, property, laneSet);
  else {
    owner.set(property, laneSet);
    markChanged(owner);
  }
  laneSet.$parent = owner;
  register(state, laneSet);
  return laneSet;
}

function checkShapeType(type: string, id: string): void {
  if (!isConcreteBpmnType(type)) {
    throw invalidOperation(`"${type}" is not a concrete BPMN type`, id, 'unknown-type');
  }
  if (isConnectionType(type)) {
    throw invalidOperation(`${type} is a connection type: use createConnection`, id, 'wrong-type');
  }
  if (!isShapeType(type)) {
    throw invalidOperation(`${type} cannot be created as a shape`, id, 'wrong-type');
  }
}

function adopt(owner: ModdleElement, property: string, element: ModdleElement): ModdleElement {
  addTo(owner, property, element);
  element.$parent = owner;
  return owner;
}

function listInsertBefore(owner: ModdleElement, property: string, item: ModdleElement, before: ModdleElement): void {
  const list = owner.get(property) as ModdleElement[];
  const index = list.indexOf(before);
  list.splice(index < 0 ? list.length : index, 0, item);
  markChanged(owner);
}

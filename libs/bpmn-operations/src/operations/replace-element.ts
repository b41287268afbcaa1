import { requireElement, unregister, type ApplyState } from '../apply-state.js';
import { childrenOf, subtreeOf } from '../model/children.js';
import { collaborationItems, flowContainerOf, lanesOf } from '../model/containers.js';
import { removeDi } from '../model/di.js';
import { replaceIn } from '../model/element-lists.js';
import { isConcreteBpmnType, moddle, typeIsA, type ModdleElement } from '../model/moddle.js';
import type { ReplaceElement } from '../operation.js';
import { invalidOperation } from '../operation-error.js';
import { markChanged } from '../serialization/chunk-cache.js';

/**
 * Changes a flow node's type in place (e.g. bpmn:Task → bpmn:UserTask): same id, DI and
 * flows; every property the new type also has is kept (name, documentation, event definitions,
 * extension elements, …), the others are dropped. Refused when the result would be invalid:
 * not a flow node on either side, boundary ↔ non-boundary, a start event with incoming flows,
 * an end event with outgoing ones, content or boundary events the new type cannot hold.
 */
export function replaceElement(state: ApplyState, op: ReplaceElement): ReplaceElement {
  const old = requireElement(state, op.elementId);
  if (old.$type !== op.newType) {
    checkCompatible(state, old, op.newType);
    const replacement = copyAs(old, op.newType);
    swap(state, old, replacement);
    dropLeftBehind(state, old, replacement);
  }
  state.touched.add(old.id as string);
  return { ...op, elementId: old.id as string };
}

function checkCompatible(state: ApplyState, old: ModdleElement, newType: string): void {
  const refuse = (why: string): never => {
    throw invalidOperation(
      `cannot replace ${old.$type} "${old.id}" with ${newType}: ${why}`,
      old.id as string,
      'incompatible-replacement',
    );
  };
  if (!isConcreteBpmnType(newType)) refuse('not a concrete BPMN type');
  if (!old.$instanceOf('bpmn:FlowNode') || !typeIsA(newType, 'bpmn:FlowNode'))
    refuse('only flow nodes can change type');
  if (old.$instanceOf('bpmn:BoundaryEvent') !== typeIsA(newType, 'bpmn:BoundaryEvent'))
    refuse('boundary events stay boundary events');
  if (typeIsA(newType, 'bpmn:StartEvent') && (old.incoming ?? []).length > 0)
    refuse('a start event cannot have incoming flows');
  if (typeIsA(newType, 'bpmn:EndEvent') && (old.outgoing ?? []).length > 0)
    refuse('an end event cannot have outgoing flows');
  const hasContent = (old.flowElements ?? []).length > 0 || (old.artifacts ?? []).length > 0;
  if (hasContent && !typeIsA(newType, 'bpmn:SubProcess')) refuse('only a sub-process can keep its content');
  const container = flowContainerOf(old);
  const hasBoundary = ((container?.flowElements ?? []) as ModdleElement[]).some((e) => e.attachedToRef === old);
  if (hasBoundary && !typeIsA(newType, 'bpmn:Activity')) refuse('only an activity can keep its boundary events');
  const inMessageFlow = collaborationItems(state, 'messageFlows').some(
    (f) => f.sourceRef === old || f.targetRef === old,
  );
  if (inMessageFlow && typeIsA(newType, 'bpmn:Gateway')) refuse('a gateway cannot have message flows');
}

/** A new element of `newType` with every property of `old` that the new type also has. */
function copyAs(old: ModdleElement, newType: string): ModdleElement {
  const replacement = moddle.create(newType);
  const properties = replacement.$descriptor.propertiesByName;
  // Walk the descriptor, not Object.keys: moddle keeps reference lists (incoming, outgoing) non-enumerable.
  for (const property of old.$descriptor.properties) {
    const value = old[property.name] as unknown;
    if (value !== undefined && properties[property.name] && !property.isId) replacement.set(property.name, value);
  }
  replacement.id = old.id;
  Object.assign(replacement.$attrs, old.$attrs);
  replacement.$parent = old.$parent;
  return replacement;
}

/**
 * What `old` contained and the new type has no property for (an event's dataOutputs when it
 * becomes a task, a task's data associations when it becomes a gateway) leaves the indexes with
 * its DI, and the
 * replacement's data associations let go of it: a reference to an element that is not in the
 * document would be written to the XML and lost when it is read again, so the diagram would not
 * survive its own round trip (a replica replaying the events and a process starting from the XML
 * would then disagree). An association left without its required target goes with it, and its DI.
 */
function dropLeftBehind(state: ApplyState, old: ModdleElement, replacement: ModdleElement): void {
  const kept = new Set(subtreeOf(replacement));
  const gone = new Set(subtreeOf(old).filter((e) => e !== old && !kept.has(e)));
  if (gone.size === 0) return;
  for (const e of gone) {
    removeDi(state, e);
    unregister(state, e);
  }
  for (const property of ['dataInputAssociations', 'dataOutputAssociations']) {
    const associations = replacement[property] as ModdleElement[] | undefined;
    if (!associations) continue;
    for (const a of [...associations]) {
      if (a.sourceRef) a.sourceRef = (a.sourceRef as ModdleElement[]).filter((r) => !gone.has(r));
      if (a.targetRef && gone.has(a.targetRef as ModdleElement)) {
        associations.splice(associations.indexOf(a), 1);
        removeDi(state, a);
        unregister(state, a);
      }
    }
  }
  markChanged(replacement);
}

/** Puts `replacement` everywhere `old` was: its container, the index, its DI and every reference to it. */
function swap(state: ApplyState, old: ModdleElement, replacement: ModdleElement): void {
  const id = old.id as string;
  replaceIn(old.$parent, 'flowElements', old, replacement);
  state.diagram.elementsById.set(id, replacement);
  const di = state.diagram.diByElementId.get(id);
  if (di) di.bpmnElement = replacement;
  markChanged(di);
  for (const d of (state.diagram.definitions.diagrams ?? []) as ModdleElement[]) {
    if (d.plane?.bpmnElement === old) d.plane.bpmnElement = replacement;
  }
  for (const child of childrenOf(replacement)) child.$parent = replacement;
  for (const flow of (replacement.incoming ?? []) as ModdleElement[]) {
    flow.targetRef = replacement;
    markChanged(flow);
  }
  for (const flow of (replacement.outgoing ?? []) as ModdleElement[]) {
    flow.sourceRef = replacement;
    markChanged(flow);
  }

  const container = flowContainerOf(replacement);
  for (const lane of container ? lanesOf(container) : []) replaceIn(lane, 'flowNodeRef', old, replacement);
  for (const e of (container?.flowElements ?? []) as ModdleElement[]) {
    if (e.attachedToRef === old) e.attachedToRef = replacement;
    for (const a of (e.dataOutputAssociations ?? []) as ModdleElement[])
      if (a.targetRef === old) a.targetRef = replacement;
    markChanged(e);
  }
  for (const connection of [
    ...collaborationItems(state, 'messageFlows'),
    ...collaborationItems(state, 'artifacts'),
    ...((container?.artifacts ?? []) as ModdleElement[]),
  ]) {
    if (connection.sourceRef === old) connection.sourceRef = replacement;
    if (connection.targetRef === old) connection.targetRef = replacement;
    markChanged(connection);
  }
}

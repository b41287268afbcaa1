import { requireElement, unregister, type ApplyState } from '../apply-state.js';
import { collaborationItems, collaborationsOf, flowContainerOf, lanesOf } from '../model/containers.js';
import { removeDi } from '../model/di.js';
import { subtreeOf } from '../model/children.js';
import { removeFrom } from '../model/element-lists.js';
import type { ModdleElement } from '../model/moddle.js';
import type { DeleteElements } from '../operation.js';
import { invalidOperation } from '../operation-error.js';
import { markChanged } from '../serialization/chunk-cache.js';

/** Lists an element can be held in by its parent. */
const CONTAINMENT_LISTS = [
  'flowElements',
  'artifacts',
  'messageFlows',
  'participants',
  'lanes',
  'laneSets',
  'rootElements',
  'dataInputAssociations',
  'dataOutputAssociations',
];

/**
 * Deletes elements with their DI and what cannot live without them: the flows and associations
 * attached to them, boundary events on a deleted activity, everything inside a deleted
 * sub-process, a deleted pool's process (unless another pool shows it), nested lanes of a deleted
 * lane (its flow nodes stay), a deleted data object's references, every lane's reference to a
 * deleted flow node, and every DI edge's end at deleted DI.
 */
export function deleteElements(state: ApplyState, op: DeleteElements): DeleteElements {
  if (op.elementIds.length === 0)
    throw invalidOperation('deleteElements needs at least one element', '', 'empty-selection');
  const roots = [...new Set(op.elementIds.map((id) => requireElement(state, id)))];
  const doomed = new Set<ModdleElement>();
  for (const root of roots) {
    if (!isDeletable(root))
      throw invalidOperation(`${root.$type} "${root.id}" cannot be deleted`, root.id as string, 'not-deletable');
    collect(state, root, doomed);
  }
  for (const element of doomed) detach(state, element);
  for (const element of doomed) forget(state, element);
  return { ...op, elementIds: roots.map((e) => e.id as string) };
}

function isDeletable(element: ModdleElement): boolean {
  return [
    'bpmn:FlowElement',
    'bpmn:Artifact',
    'bpmn:MessageFlow',
    'bpmn:Participant',
    'bpmn:Lane',
    'bpmn:DataAssociation',
  ].some((t) => element.$instanceOf(t));
}

function collect(state: ApplyState, element: ModdleElement, doomed: Set<ModdleElement>): void {
  if (doomed.has(element)) return;
  doomed.add(element);
  const add = (items: ModdleElement[] | undefined): void => items?.forEach((e) => collect(state, e, doomed));
  const container = flowContainerOf(element);
  const refersToElement = (e: ModdleElement): boolean => e.sourceRef === element || e.targetRef === element;

  add(collaborationItems(state, 'messageFlows').filter(refersToElement));
  add((container?.artifacts as ModdleElement[] | undefined)?.filter(refersToElement));
  add(collaborationItems(state, 'artifacts').filter(refersToElement));
  if (element.$instanceOf('bpmn:FlowNode')) {
    add(element.incoming);
    add(element.outgoing);
    // Many tools write no <incoming>/<outgoing>: the flows' own source and target refs decide.
    add(
      (container?.flowElements as ModdleElement[] | undefined)?.filter(
        (e) => e.attachedToRef === element || (e.$instanceOf('bpmn:SequenceFlow') && refersToElement(e)),
      ),
    );
  }
  // Data associations may cross containers (a data object moved into a sub-process): any element's.
  if (element.$instanceOf('bpmn:ItemAwareElement')) {
    for (const activity of state.diagram.elementsById.values() as Iterable<ModdleElement>) {
      add((activity.dataOutputAssociations as ModdleElement[] | undefined)?.filter((a) => a.targetRef === element));
      add(
        (activity.dataInputAssociations as ModdleElement[] | undefined)?.filter((a) => a.sourceRef?.includes(element)),
      );
    }
  }
  // A data object's references show it in the diagram: they go with it (and their associations).
  if (element.$instanceOf('bpmn:DataObject') && container) {
    add((container.flowElements as ModdleElement[]).filter((e) => e.dataObjectRef === element));
  }
  if (element.$instanceOf('bpmn:FlowElementsContainer')) collectContent(state, element, doomed);
  if (element.$instanceOf('bpmn:Participant') && element.processRef) {
    const shared = collaborationsOf(state)
      .flatMap((c) => (c.participants ?? []) as ModdleElement[])
      .some((p) => p !== element && p.processRef === element.processRef);
    if (!shared) {
      doomed.add(element.processRef);
      collectContent(state, element.processRef, doomed);
    }
  }
  if (element.$instanceOf('bpmn:Lane')) add(element.childLaneSet?.lanes);
}

function collectContent(state: ApplyState, container: ModdleElement, doomed: Set<ModdleElement>): void {
  for (const e of [
    ...((container.flowElements ?? []) as ModdleElement[]),
    ...((container.artifacts ?? []) as ModdleElement[]),
    ...lanesOf(container),
  ]) {
    collect(state, e, doomed);
  }
}

/** Unlinks the element from its parent and from the elements that refer to it. */
function detach(state: ApplyState, element: ModdleElement): void {
  for (const list of CONTAINMENT_LISTS) removeFrom(element.$parent, list, element);
  if (element.$instanceOf('bpmn:SequenceFlow')) {
    removeFrom(element.sourceRef, 'outgoing', element);
    removeFrom(element.targetRef, 'incoming', element);
    if (element.sourceRef?.default === element) {
      delete element.sourceRef.default;
      markChanged(element.sourceRef);
    }
  }
  if (element.$instanceOf('bpmn:FlowNode')) {
    const container = flowContainerOf(element);
    for (const lane of container ? lanesOf(container) : []) removeFrom(lane, 'flowNodeRef', element);
  }
  if (element.$instanceOf('bpmn:DataInputAssociation') && element.targetRef?.name === '__targetRef_placeholder') {
    removeFrom(element.$parent, 'properties', element.targetRef);
    unregister(state, element.targetRef);
  }
  const diagrams = (state.diagram.definitions.diagrams ?? []) as ModdleElement[];
  for (const d of diagrams.filter((d) => d.plane?.bpmnElement === element)) {
    removeFrom(state.diagram.definitions, 'diagrams', d);
    for (const e of subtreeOf(d)) unregister(state, e);
  }
}

/** Drops the element, its DI and everything it contains from the indexes. */
function forget(state: ApplyState, element: ModdleElement): void {
  state.touched.add(element.id as string);
  for (const e of subtreeOf(element)) {
    removeDi(state, e);
    unregister(state, e);
  }
}

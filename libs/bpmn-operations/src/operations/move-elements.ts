import { requireElement, resolveId, type ApplyState } from '../apply-state.js';
import {
  collaborationItems,
  flowContainerOf,
  lanesOf,
  participantOf,
  semanticContainerFor,
} from '../model/containers.js';
import { addTo, removeFrom } from '../model/element-lists.js';
import { laneAt } from '../model/lanes.js';
import type { ModdleElement } from '../model/moddle.js';
import type { Bounds, MoveElements, Point } from '../operation.js';
import { invalidOperation } from '../operation-error.js';
import { markChanged } from '../serialization/chunk-cache.js';

/**
 * Moves shapes and edges by `delta` (their labels too). Only the listed elements move: a client
 * moving a pool or sub-process lists its content too, and the endpoints of connections that are
 * not listed stay where they are (layout is the client's business). With `newParentId` the listed
 * flow nodes and artifacts also change container, taking their boundary events and the sequence
 * flows between them along; a sequence flow left crossing the new border is refused.
 */
export function moveElements(state: ApplyState, op: MoveElements): MoveElements {
  if (op.elementIds.length === 0)
    throw invalidOperation('moveElements needs at least one element', '', 'empty-selection');
  if (!Number.isFinite(op.delta.x) || !Number.isFinite(op.delta.y)) {
    throw invalidOperation('delta must be finite numbers', '', 'delta');
  }
  const elements = [...new Set(op.elementIds.map((id) => requireElement(state, id)))];
  for (const element of elements) {
    const di = state.diagram.diByElementId.get(element.id as string);
    if (!di) throw invalidOperation(`"${element.id}" is not drawn in the diagram`, element.id as string, 'no-di');
    translate(di, op.delta);
    state.touched.add(element.id as string);
  }
  if (op.newParentId !== '') reparent(state, elements, requireElement(state, op.newParentId));
  return {
    ...op,
    elementIds: elements.map((e) => e.id as string),
    newParentId: op.newParentId === '' ? '' : resolveId(state, op.newParentId),
  };
}

function translate(di: ModdleElement, delta: Point): void {
  markChanged(di);
  if (di.bounds) shift(di.bounds as Bounds, delta);
  for (const p of (di.waypoint ?? []) as Point[]) shift(p, delta);
  if (di.label?.bounds) shift(di.label.bounds as Bounds, delta);
}

function shift(p: Point, delta: Point): void {
  p.x += delta.x;
  p.y += delta.y;
}

function reparent(state: ApplyState, elements: ModdleElement[], newParent: ModdleElement): void {
  const { container, lane } = semanticContainerFor(state, newParent, state.createdCount);
  const movable = elements.filter(
    (e) =>
      (e.$instanceOf('bpmn:FlowNode') && !e.$instanceOf('bpmn:BoundaryEvent')) ||
      e.$instanceOf('bpmn:Artifact') ||
      isDataReference(e),
  );
  const moved = new Set<ModdleElement>();
  for (const element of movable) {
    if (isAncestorOrSelf(element, container)) {
      throw invalidOperation(`"${element.id}" cannot be moved into itself`, element.id as string, 'invalid-parent');
    }
    const property = element.$instanceOf('bpmn:Artifact') ? 'artifacts' : 'flowElements';
    const from = element.$parent;
    for (const moving of [element, ...boundaryEventsOf(element)]) {
      removeFrom(from, property, moving);
      addTo(container, property, moving);
      moving.$parent = container;
      markChanged(moving);
      moved.add(moving);
      if (moving.$instanceOf('bpmn:FlowNode')) rejoinLanes(state, moving, from, container, lane);
    }
  }
  for (const node of moved) followSequenceFlows(node, container);
  for (const node of moved) checkMessageFlows(state, node);
}

/** Sequence flows of a moved node follow it when both ends share the new container, else the move is refused. */
function followSequenceFlows(node: ModdleElement, container: ModdleElement): void {
  for (const flow of [...((node.incoming ?? []) as ModdleElement[]), ...((node.outgoing ?? []) as ModdleElement[])]) {
    if (flow.$parent === container) continue;
    if (flowContainerOf(flow.sourceRef) !== container || flowContainerOf(flow.targetRef) !== container) {
      throw invalidOperation(
        `moving "${node.id}" would leave sequence flow "${flow.id}" crossing a container border`,
        flow.id as string,
        'sequence-flow-across-containers',
      );
    }
    removeFrom(flow.$parent, 'flowElements', flow);
    addTo(container, 'flowElements', flow);
    flow.$parent = container;
    markChanged(flow);
  }
}

function checkMessageFlows(state: ApplyState, node: ModdleElement): void {
  for (const flow of collaborationItems(state, 'messageFlows')) {
    if (flow.sourceRef !== node && flow.targetRef !== node) continue;
    if (participantOf(state, flow.sourceRef) === participantOf(state, flow.targetRef)) {
      throw invalidOperation(
        `moving "${node.id}" would put message flow "${flow.id}" within one pool`,
        flow.id,
        'message-flow-within-pool',
      );
    }
  }
}

/** A moved node leaves the lanes of its old container and joins the named lane, or the one its shape now lies in. */
function rejoinLanes(
  state: ApplyState,
  node: ModdleElement,
  from: ModdleElement | undefined,
  to: ModdleElement,
  lane?: ModdleElement,
): void {
  for (const oldLane of from ? lanesOf(from) : []) removeFrom(oldLane, 'flowNodeRef', node);
  const bounds = state.diagram.diByElementId.get(node.id as string)?.bounds as Bounds | undefined;
  const joined = lane ?? (bounds ? laneAt(state, to, bounds) : undefined);
  if (joined) addTo(joined, 'flowNodeRef', node);
}

function boundaryEventsOf(element: ModdleElement): ModdleElement[] {
  if (!element.$instanceOf('bpmn:Activity')) return [];
  return ((element.$parent?.flowElements ?? []) as ModdleElement[]).filter((e) => e.attachedToRef === element);
}

function isDataReference(e: ModdleElement): boolean {
  return e.$instanceOf('bpmn:DataObjectReference') || e.$instanceOf('bpmn:DataStoreReference');
}

function isAncestorOrSelf(candidate: ModdleElement, element: ModdleElement | undefined): boolean {
  for (let current = element; current; current = current.$parent) if (current === candidate) return true;
  return false;
}

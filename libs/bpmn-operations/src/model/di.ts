import { register, uniqueId, unregister, type ApplyState } from '../apply-state.js';
import type { Bounds, Point } from '../operation.js';
import { invalidOperation } from '../operation-error.js';
import { checkWaypointCount } from '../operation-limits.js';
import { participantOf, rootProcess } from './containers.js';
import { subtreeOf } from './children.js';
import { addTo, removeFrom } from './element-lists.js';
import { moddle, type ModdleElement } from './moddle.js';
import { markChanged } from '../serialization/chunk-cache.js';

/** Types whose shape is drawn expanded (children on the same plane) when created here. */
const EXPANDED_TYPES = ['bpmn:SubProcess', 'bpmn:Participant', 'bpmn:Lane'];

/** Adds the BPMNShape (`<id>_di`) of a new element to the plane that shows its container. */
export function addShapeDi(state: ApplyState, element: ModdleElement, bounds: Bounds, container: ModdleElement): void {
  checkBounds(bounds, element.id as string);
  const plane = planeShowing(state, container);
  const attrs: Record<string, unknown> = {
    id: uniqueId(state, `${element.id}_di`),
    bpmnElement: element,
    bounds: moddle.create('dc:Bounds', { ...boundsOf(bounds) }),
  };
  if (EXPANDED_TYPES.some((t) => element.$instanceOf(t))) {
    if (element.$instanceOf('bpmn:SubProcess')) attrs.isExpanded = true;
    else attrs.isHorizontal = true;
  }
  const shape = moddle.create('bpmndi:BPMNShape', attrs);
  attach(state, plane, shape, element);
}

/** Adds the BPMNEdge (`<id>_di`) of a new connection to the plane that shows its source. */
export function addEdgeDi(state: ApplyState, element: ModdleElement, waypoints: Point[], showing: ModdleElement): void {
  const plane = planeShowing(state, showing);
  const edge = moddle.create('bpmndi:BPMNEdge', {
    id: uniqueId(state, `${element.id}_di`),
    bpmnElement: element,
    waypoint: waypointsOf(state, waypoints, element.id as string),
  });
  attach(state, plane, edge, element);
}

export function removeDi(state: ApplyState, element: ModdleElement): void {
  const di = state.diagram.diByElementId.get(element.id as string);
  if (!di) return;
  const plane = di.$parent;
  removeFrom(plane, 'planeElement', di);
  // An edge drawn from or to it lets go (both ends are optional): a reference to DI no longer in
  // the document would be written, then lost when the XML is read again.
  for (const edge of (plane?.planeElement ?? []) as ModdleElement[]) {
    if (edge.sourceElement !== di && edge.targetElement !== di) continue;
    if (edge.sourceElement === di) delete edge.sourceElement;
    if (edge.targetElement === di) delete edge.targetElement;
    markChanged(edge);
  }
  // A label may carry an id of its own.
  for (const e of subtreeOf(di)) unregister(state, e);
  state.diagram.diByElementId.delete(element.id as string);
}

export function shapeDiOf(state: ApplyState, element: ModdleElement): ModdleElement {
  const di = state.diagram.diByElementId.get(element.id as string);
  if (!di?.$instanceOf('bpmndi:BPMNShape')) {
    throw invalidOperation(`"${element.id}" has no shape in the diagram`, element.id as string, 'not-a-shape');
  }
  return di;
}

export function edgeDiOf(state: ApplyState, element: ModdleElement): ModdleElement {
  const di = state.diagram.diByElementId.get(element.id as string);
  if (!di?.$instanceOf('bpmndi:BPMNEdge')) {
    throw invalidOperation(`"${element.id}" has no edge in the diagram`, element.id as string, 'not-a-connection');
  }
  return di;
}

/** dc:Point elements for waypoints, checked: at least two, within the limit, finite. */
export function waypointsOf(state: ApplyState, waypoints: Point[], elementId: string): ModdleElement[] {
  checkWaypointCount(waypoints.length, state.limits, elementId);
  if (waypoints.length < 2) {
    throw invalidOperation(`a connection needs at least 2 waypoints, got ${waypoints.length}`, elementId, 'waypoints');
  }
  for (const p of waypoints) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      throw invalidOperation('waypoints must be finite numbers', elementId, 'waypoints');
    }
  }
  return waypoints.map((p) => moddle.create('dc:Point', { x: p.x, y: p.y }));
}

export function checkBounds(bounds: Bounds, elementId: string): void {
  const values = [bounds.x, bounds.y, bounds.width, bounds.height];
  if (!values.every(Number.isFinite) || bounds.width <= 0 || bounds.height <= 0) {
    throw invalidOperation(
      `bounds must be finite with a positive width and height, got ${JSON.stringify(bounds)}`,
      elementId,
      'bounds',
    );
  }
}

/** The centre of an element's shape, for connections proposed without waypoints. */
export function centreOf(state: ApplyState, element: ModdleElement): Point {
  const b = shapeDiOf(state, element).bounds as Bounds;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/**
 * The plane that shows `element`: a plane of its own (a drilled-down sub-process, the
 * collaboration), else the plane holding the shape of it or of its nearest drawn ancestor
 * (a process is drawn through its pool), else the first plane.
 */
function planeShowing(state: ApplyState, element: ModdleElement): ModdleElement {
  const planes = planesByElement(state);
  let current: ModdleElement | undefined = element;
  while (current) {
    const own = planes.get(current);
    if (own) return own;
    const di = state.diagram.diByElementId.get(current.id as string);
    if (di?.$parent) return di.$parent;
    // A process is drawn through its pool; a pool without a shape leads on to its collaboration.
    current = current.$instanceOf('bpmn:Process') ? participantOf(state, current) : current.$parent;
  }
  return firstPlane(state);
}

function planesByElement(state: ApplyState): Map<ModdleElement, ModdleElement> {
  const planes = new Map<ModdleElement, ModdleElement>();
  for (const d of (state.diagram.definitions.diagrams ?? []) as ModdleElement[]) {
    if (d.plane?.bpmnElement) planes.set(d.plane.bpmnElement as ModdleElement, d.plane as ModdleElement);
  }
  return planes;
}

/** The first BPMNDiagram's plane, created (`BPMNDiagram_1`, `BPMNPlane_1`) for a diagram without DI. */
function firstPlane(state: ApplyState): ModdleElement {
  const existing = state.diagram.definitions.diagrams?.[0]?.plane as ModdleElement | undefined;
  if (existing) return existing;
  const plane = moddle.create('bpmndi:BPMNPlane', {
    id: uniqueId(state, 'BPMNPlane_1'),
    bpmnElement: rootProcess(state),
  });
  const bpmnDiagram = moddle.create('bpmndi:BPMNDiagram', { id: uniqueId(state, 'BPMNDiagram_1'), plane });
  plane.$parent = bpmnDiagram;
  bpmnDiagram.$parent = state.diagram.definitions;
  addTo(state.diagram.definitions, 'diagrams', bpmnDiagram);
  register(state, bpmnDiagram);
  register(state, plane);
  return plane;
}

function attach(state: ApplyState, plane: ModdleElement, di: ModdleElement, element: ModdleElement): void {
  addTo(plane, 'planeElement', di);
  di.$parent = plane;
  register(state, di);
  state.diagram.diByElementId.set(element.id as string, di);
}

function boundsOf(b: Bounds): Bounds {
  return { x: b.x, y: b.y, width: b.width, height: b.height };
}

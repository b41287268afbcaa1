import type { Diagram } from './diagram.js';
import type { ModdleElement } from './model/moddle.js';
import type { Bounds, Point } from './operation.js';

/** What two diagrams must share to count as the same model: compare two summaries with deep equality. */
export interface SemanticSummary {
  /** Every semantic element with an id, sorted by id. */
  elements: { id: string; type: string; name: string | null }[];
  /** Sequence flows, message flows, associations and data associations, sorted by id. */
  connections: { id: string; type: string; source: string | null; target: string | null }[];
  /** Shapes by their element's id, sorted. */
  shapes: { elementId: string; bounds: Bounds | null }[];
  /** Edges by their element's id, sorted. */
  edges: { elementId: string; waypoints: Point[] }[];
}

/** A plain, order-independent summary of a diagram's elements, flows and DI. */
export function semanticSummary(diagram: Diagram): SemanticSummary {
  const summary: SemanticSummary = { elements: [], connections: [], shapes: [], edges: [] };
  for (const [id, element] of diagram.elementsById) {
    if (!element.$type.startsWith('bpmn:')) continue;
    summary.elements.push({ id, type: element.$type, name: (element.name as string | undefined) ?? null });
    if (isConnection(element)) {
      summary.connections.push({
        id,
        type: element.$type,
        source: refId(element.sourceRef),
        target: refId(element.targetRef),
      });
    }
  }
  for (const [elementId, di] of diagram.diByElementId) {
    if (di.$instanceOf('bpmndi:BPMNShape'))
      summary.shapes.push({ elementId, bounds: di.bounds ? boundsOf(di.bounds) : null });
    else
      summary.edges.push({ elementId, waypoints: ((di.waypoint ?? []) as Point[]).map((p) => ({ x: p.x, y: p.y })) });
  }
  const byId =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  summary.elements.sort(byId((e) => e.id));
  summary.connections.sort(byId((e) => e.id));
  summary.shapes.sort(byId((e) => e.elementId));
  summary.edges.sort(byId((e) => e.elementId));
  return summary;
}

function isConnection(element: ModdleElement): boolean {
  return ['bpmn:SequenceFlow', 'bpmn:MessageFlow', 'bpmn:Association', 'bpmn:DataAssociation'].some((t) =>
    element.$instanceOf(t),
  );
}

/** A reference's id; data input associations refer to a list of sources. */
function refId(ref: unknown): string | null {
  if (Array.isArray(ref)) return ref.map((r: ModdleElement) => r.id as string).join(',') || null;
  return ((ref as ModdleElement | undefined)?.id as string | undefined) ?? null;
}

function boundsOf(b: Bounds): Bounds {
  return { x: b.x, y: b.y, width: b.width, height: b.height };
}

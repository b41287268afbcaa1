import type { Bounds, Point } from '../operations.js';

/** What the gesture translation needs to know about one diagram element, as plain data. */
export interface ElementSnapshot {
  id: string;
  kind: 'shape' | 'connection';
  /** Moddle type, e.g. `bpmn:Task`. */
  type: string;
  /** Containing element; '' = the diagram's root (process or collaboration). */
  parentId: string;
  /** A boundary event's activity. */
  hostId?: string;
  name?: string;
  bounds?: Bounds;
  waypoints?: Point[];
  sourceId?: string;
  targetId?: string;
}

/** id → snapshot, in the registry's order (creation order). */
export type DiagramSnapshot = Map<string, ElementSnapshot>;

interface DiagramElement {
  id: string;
  type: string;
  labelTarget?: unknown;
  parent?: DiagramElement;
  host?: DiagramElement;
  businessObject?: { $type?: string; name?: string; text?: string };
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  waypoints?: Point[];
  source?: DiagramElement;
  target?: DiagramElement;
}

/** Reads the canvas (diagram-js ElementRegistry) into a snapshot; labels and the root are left out. */
export function snapshotElements(elements: DiagramElement[], rootId: string): DiagramSnapshot {
  const snapshot: DiagramSnapshot = new Map();
  for (const element of elements) {
    if (element.labelTarget || !element.parent || element.id === rootId) continue;
    const bo = element.businessObject ?? {};
    const parentId = element.parent.id === rootId ? '' : element.parent.id;
    const name = bo.$type === 'bpmn:TextAnnotation' ? bo.text : bo.name;
    const base = { id: element.id, type: bo.$type ?? element.type, parentId, ...(name ? { name } : {}) };
    if (element.waypoints) {
      snapshot.set(element.id, {
        ...base,
        kind: 'connection',
        waypoints: element.waypoints.map((p) => ({ x: p.x, y: p.y })),
        sourceId: element.source?.id,
        targetId: element.target?.id,
      });
    } else {
      snapshot.set(element.id, {
        ...base,
        kind: 'shape',
        ...(element.host ? { hostId: element.host.id } : {}),
        bounds: { x: element.x ?? 0, y: element.y ?? 0, width: element.width ?? 0, height: element.height ?? 0 },
      });
    }
  }
  return snapshot;
}

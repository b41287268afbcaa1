import type { Bounds, Operation, Point } from '../operations.js';
import type { DiagramSnapshot, ElementSnapshot } from './element-snapshot.js';

export interface DiffOptions {
  /** The diagram's root element (process or collaboration): the parent '' stands for. */
  rootId: string;
  /** A temporary id for a connection that has to be re-created (the contract cannot reconnect). */
  freshId(id: string): string;
}

/**
 * The contract operations that turn `before` into `after` — how a gesture's effect on the
 * canvas (every behavior included) becomes a proposal. Pure: both sides are plain snapshots.
 *
 * Order matters to the server, which applies operations one by one: removals first, then
 * what moves or resizes existing shapes (so new shapes land in their final containers), then
 * new shapes, new connections (which may name new shapes), and finally edges and properties.
 */
export function diffSnapshots(before: DiagramSnapshot, after: DiagramSnapshot, options: DiffOptions): Operation[] {
  const deletes: string[] = [];
  const replaces: Operation[] = [];
  const moves = new Map<string, { delta: Point; newParentId: string; ids: string[] }>();
  const resizes: Operation[] = [];
  const shapeCreates: Operation[] = [];
  const connectionCreates: Operation[] = [];
  const waypointUpdates: Operation[] = [];
  const propertyUpdates: Operation[] = [];

  const removed = new Set([...before.keys()].filter((id) => !after.has(id)));
  for (const id of removed) {
    if (!impliedByRemoval(before.get(id)!, removed)) deletes.push(id);
  }

  // Shapes first, so connections can join the move of both their ends.
  const movedBy = new Map<string, string>();
  for (const [id, now] of after) {
    const was = before.get(id);
    if (!was) {
      if (now.kind === 'shape') shapeCreates.push(createShape(now));
      else connectionCreates.push(createConnection(now, now.id));
      continue;
    }
    if (was.type !== now.type)
      replaces.push({ op: { case: 'replaceElement', value: { elementId: id, newType: now.type } } });
    if ((was.name ?? '') !== (now.name ?? '')) propertyUpdates.push(renamed(now));
    if (now.kind !== 'shape' || !was.bounds || !now.bounds) continue;
    const containerBefore = was.hostId ?? was.parentId;
    const containerNow = now.hostId ?? now.parentId;
    const reparented = containerBefore !== containerNow;
    if (sameSize(was.bounds, now.bounds)) {
      const delta = { x: now.bounds.x - was.bounds.x, y: now.bounds.y - was.bounds.y };
      if (delta.x === 0 && delta.y === 0 && !reparented) continue;
      const newParentId = reparented ? containerNow || options.rootId : '';
      const key = `${delta.x},${delta.y},${newParentId}`;
      const group = moves.get(key) ?? { delta, newParentId, ids: [] };
      group.ids.push(id);
      moves.set(key, group);
      movedBy.set(id, key);
    } else {
      resizes.push({ op: { case: 'resizeShape', value: { elementId: id, bounds: copyBounds(now.bounds) } } });
    }
  }

  for (const [id, now] of after) {
    const was = before.get(id);
    if (!was || now.kind !== 'connection') continue;
    if (was.sourceId !== now.sourceId || was.targetId !== now.targetId) {
      deletes.push(id);
      connectionCreates.push(createConnection(now, options.freshId(id)));
      continue;
    }
    if (sameWaypoints(was.waypoints ?? [], now.waypoints ?? [])) continue;
    const key = movedBy.get(now.sourceId ?? '');
    const group = key === undefined ? undefined : moves.get(key);
    if (
      group &&
      movedBy.get(now.targetId ?? '') === key &&
      translated(was.waypoints ?? [], now.waypoints ?? [], group.delta)
    ) {
      group.ids.push(id);
    } else {
      waypointUpdates.push({
        op: { case: 'updateWaypoints', value: { elementId: id, waypoints: copyPoints(now.waypoints ?? []) } },
      });
    }
  }

  const moveOps: Operation[] = [...moves.values()].map(({ delta, newParentId, ids }) => ({
    op: { case: 'moveElements', value: { elementIds: ids, delta, newParentId } },
  }));
  const deleteOps: Operation[] = deletes.length
    ? [{ op: { case: 'deleteElements', value: { elementIds: deletes } } }]
    : [];
  return [
    ...deleteOps,
    ...replaces,
    ...moveOps,
    ...resizes,
    ...shapeCreates,
    ...connectionCreates,
    ...waypointUpdates,
    ...propertyUpdates,
  ];
}

/** The server cascades these: connections of removed shapes, content of removed containers, boundary events of removed activities. */
function impliedByRemoval(element: ElementSnapshot, removed: Set<string>): boolean {
  return (
    removed.has(element.parentId) ||
    (element.hostId !== undefined && removed.has(element.hostId)) ||
    (element.sourceId !== undefined && removed.has(element.sourceId)) ||
    (element.targetId !== undefined && removed.has(element.targetId))
  );
}

function createShape(shape: ElementSnapshot): Operation {
  return {
    op: {
      case: 'createShape',
      value: {
        id: shape.id,
        type: shape.type,
        parentId: shape.hostId ?? shape.parentId,
        bounds: copyBounds(shape.bounds!),
        name: shape.name ?? '',
      },
    },
  };
}

function createConnection(connection: ElementSnapshot, id: string): Operation {
  return {
    op: {
      case: 'createConnection',
      value: {
        id,
        type: connection.type,
        sourceId: connection.sourceId ?? '',
        targetId: connection.targetId ?? '',
        waypoints: copyPoints(connection.waypoints ?? []),
        name: connection.name ?? '',
      },
    },
  };
}

function renamed(element: ElementSnapshot): Operation {
  const key = element.type === 'bpmn:TextAnnotation' ? 'text' : 'name';
  return {
    op: { case: 'updateProperties', value: { elementId: element.id, properties: { [key]: element.name || null } } },
  };
}

function sameSize(a: Bounds, b: Bounds): boolean {
  return a.width === b.width && a.height === b.height;
}

function sameWaypoints(a: Point[], b: Point[]): boolean {
  return a.length === b.length && a.every((p, i) => p.x === b[i]!.x && p.y === b[i]!.y);
}

function translated(from: Point[], to: Point[], delta: Point): boolean {
  return from.length === to.length && from.every((p, i) => p.x + delta.x === to[i]!.x && p.y + delta.y === to[i]!.y);
}

function copyBounds(b: Bounds): Bounds {
  return { x: b.x, y: b.y, width: b.width, height: b.height };
}

function copyPoints(points: Point[]): Point[] {
  return points.map((p) => ({ x: p.x, y: p.y }));
}

/**
 * The contract's `Operation` (schemas/proto, flowledger.modeling.v1) as plain data: the shape
 * protobuf-es accepts when sending and the shape received messages have (minus `$typeName`).
 */
export interface Point {
  x: number;
  y: number;
}
export interface Bounds extends Point {
  width: number;
  height: number;
}
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type Operation =
  | {
      op: { case: 'createShape'; value: { id: string; type: string; parentId: string; bounds?: Bounds; name: string } };
    }
  | {
      op: {
        case: 'createConnection';
        value: { id: string; type: string; sourceId: string; targetId: string; waypoints: Point[]; name: string };
      };
    }
  | { op: { case: 'moveElements'; value: { elementIds: string[]; delta?: Point; newParentId: string } } }
  | { op: { case: 'resizeShape'; value: { elementId: string; bounds?: Bounds } } }
  | { op: { case: 'updateWaypoints'; value: { elementId: string; waypoints: Point[] } } }
  | { op: { case: 'updateProperties'; value: { elementId: string; properties?: { [key: string]: JsonValue } } } }
  | { op: { case: 'deleteElements'; value: { elementIds: string[] } } }
  | { op: { case: 'replaceElement'; value: { elementId: string; newType: string } } }
  | { op: { case: 'importXml'; value: { xml: string } } };

export type OperationCase = Operation['op']['case'];

/** Ids of existing elements an operation refers to (not the temporary ids it creates). */
export function referencedIds(operation: Operation): string[] {
  const { op } = operation;
  switch (op.case) {
    case 'createShape':
      return op.value.parentId ? [op.value.parentId] : [];
    case 'createConnection':
      return [op.value.sourceId, op.value.targetId];
    case 'moveElements':
      return op.value.newParentId ? [...op.value.elementIds, op.value.newParentId] : op.value.elementIds;
    case 'resizeShape':
    case 'updateWaypoints':
    case 'updateProperties':
    case 'replaceElement':
      return [op.value.elementId];
    case 'deleteElements':
      return op.value.elementIds;
    case 'importXml':
      return [];
    default:
      return unreachable(op);
  }
}

/** Temporary ids an operation introduces (later operations of the same proposal may use them). */
export function createdIds(operation: Operation): string[] {
  const { op } = operation;
  return op.case === 'createShape' || op.case === 'createConnection' ? [op.value.id] : [];
}

function unreachable(value: never): never {
  throw new Error(`unknown operation ${JSON.stringify(value)}`);
}

/** The operation with element ids renamed (`rename` returns the id itself when unchanged). */
export function renameIds(operation: Operation, rename: (id: string) => string): Operation {
  const { op } = operation;
  const opt = (id: string) => (id ? rename(id) : id);
  switch (op.case) {
    case 'createShape':
      return {
        op: { case: op.case, value: { ...op.value, id: rename(op.value.id), parentId: opt(op.value.parentId) } },
      };
    case 'createConnection':
      return {
        op: {
          case: op.case,
          value: {
            ...op.value,
            id: rename(op.value.id),
            sourceId: rename(op.value.sourceId),
            targetId: rename(op.value.targetId),
          },
        },
      };
    case 'moveElements':
      return {
        op: {
          case: op.case,
          value: { ...op.value, elementIds: op.value.elementIds.map(rename), newParentId: opt(op.value.newParentId) },
        },
      };
    case 'resizeShape':
    case 'updateWaypoints':
    case 'replaceElement':
      return { op: { ...op, value: { ...op.value, elementId: rename(op.value.elementId) } } } as Operation;
    case 'updateProperties':
      return { op: { case: op.case, value: { ...op.value, elementId: rename(op.value.elementId) } } };
    case 'deleteElements':
      return { op: { case: op.case, value: { elementIds: op.value.elementIds.map(rename) } } };
    case 'importXml':
      return operation;
    default:
      return unreachable(op);
  }
}

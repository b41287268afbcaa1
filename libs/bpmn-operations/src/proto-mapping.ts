import type { Bounds, JsonValue, Operation, Point } from './operation.js';
import { OperationError } from './operation-error.js';

/**
 * `flowledger.modeling.v1.Operation` ↔ domain Operation, on the plain objects @grpc/proto-loader
 * decodes and encodes with `{ keepCase: false, longs: Number, enums: String, defaults: true,
 * oneofs: true }`: camelCase fields, the oneof's name in `op`, google.protobuf.Struct as
 * `{ fields: { key: { kind: 'stringValue', stringValue: 'x' } } }`.
 */
export type ProtoObject = Record<string, unknown>;

/** Decodes one Operation; INVALID_OPERATION when no operation is set or the Struct is malformed. */
export function operationFromProto(obj: ProtoObject): Operation {
  const kind = (obj.op as string | undefined) ?? KINDS.find((k) => obj[k] != null);
  const body = (kind ? obj[kind] : undefined) as ProtoObject | undefined;
  if (!kind || !body) throw new OperationError('INVALID_OPERATION', 'an operation must set exactly one of its kinds');
  switch (kind) {
    case 'createShape':
      return {
        kind,
        id: str(body.id),
        type: str(body.type),
        parentId: str(body.parentId),
        bounds: bounds(body.bounds),
        name: str(body.name),
      };
    case 'createConnection':
      return {
        kind,
        id: str(body.id),
        type: str(body.type),
        sourceId: str(body.sourceId),
        targetId: str(body.targetId),
        waypoints: points(body.waypoints),
        name: str(body.name),
      };
    case 'moveElements':
      return { kind, elementIds: strs(body.elementIds), delta: point(body.delta), newParentId: str(body.newParentId) };
    case 'resizeShape':
      return { kind, elementId: str(body.elementId), bounds: bounds(body.bounds) };
    case 'updateWaypoints':
      return { kind, elementId: str(body.elementId), waypoints: points(body.waypoints) };
    case 'updateProperties':
      return { kind, elementId: str(body.elementId), properties: structFromProto(body.properties) };
    case 'deleteElements':
      return { kind, elementIds: strs(body.elementIds) };
    case 'replaceElement':
      return { kind, elementId: str(body.elementId), newType: str(body.newType) };
    case 'importXml':
      return { kind, xml: str(body.xml) };
    default:
      throw new OperationError('INVALID_OPERATION', `unknown operation kind "${kind}"`);
  }
}

/** Encodes one Operation for proto-loader (the oneof member set, plus `op` naming it). */
export function operationToProto(operation: Operation): ProtoObject {
  const { kind, ...body } = operation;
  switch (operation.kind) {
    case 'updateProperties':
      return { op: kind, [kind]: { elementId: operation.elementId, properties: structToProto(operation.properties) } };
    case 'createShape':
    case 'createConnection':
    case 'moveElements':
    case 'resizeShape':
    case 'updateWaypoints':
    case 'deleteElements':
    case 'replaceElement':
    case 'importXml':
      return { op: kind, [kind]: body };
    default: {
      const unknown: never = operation;
      throw new Error(`unknown operation ${JSON.stringify(unknown)}`);
    }
  }
}

export function structFromProto(struct: unknown): Record<string, JsonValue> {
  const fields = ((struct as ProtoObject | null | undefined)?.fields ?? {}) as Record<string, ProtoObject>;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, valueFromProto(v)]));
}

export function structToProto(object: Record<string, JsonValue>): ProtoObject {
  return { fields: Object.fromEntries(Object.entries(object).map(([k, v]) => [k, valueToProto(v)])) };
}

const KINDS = [
  'createShape',
  'createConnection',
  'moveElements',
  'resizeShape',
  'updateWaypoints',
  'updateProperties',
  'deleteElements',
  'replaceElement',
  'importXml',
] as const;

const VALUE_KINDS = ['nullValue', 'numberValue', 'stringValue', 'boolValue', 'structValue', 'listValue'] as const;

function valueFromProto(value: ProtoObject | null | undefined): JsonValue {
  const kind = (value?.kind as string | undefined) ?? VALUE_KINDS.find((k) => value?.[k] != null);
  switch (kind) {
    case 'nullValue':
    case undefined:
      return null;
    case 'numberValue':
      return Number(value!.numberValue);
    case 'stringValue':
      return String(value!.stringValue);
    case 'boolValue':
      return Boolean(value!.boolValue);
    case 'structValue':
      return structFromProto(value!.structValue);
    case 'listValue':
      return (((value!.listValue as ProtoObject | null)?.values ?? []) as ProtoObject[]).map(valueFromProto);
    default:
      throw new OperationError('INVALID_OPERATION', `unknown google.protobuf.Value kind "${kind}"`);
  }
}

function valueToProto(value: JsonValue): ProtoObject {
  if (value === null) return { kind: 'nullValue', nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { kind: 'numberValue', numberValue: value };
  if (typeof value === 'string') return { kind: 'stringValue', stringValue: value };
  if (typeof value === 'boolean') return { kind: 'boolValue', boolValue: value };
  if (Array.isArray(value)) return { kind: 'listValue', listValue: { values: value.map(valueToProto) } };
  return { kind: 'structValue', structValue: structToProto(value) };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function strs(value: unknown): string[] {
  return Array.isArray(value) ? value.map(str) : [];
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

function point(value: unknown): Point {
  const p = (value ?? {}) as ProtoObject;
  return { x: num(p.x), y: num(p.y) };
}

function points(value: unknown): Point[] {
  return Array.isArray(value) ? value.map(point) : [];
}

function bounds(value: unknown): Bounds {
  const b = (value ?? {}) as ProtoObject;
  return { x: num(b.x), y: num(b.y), width: num(b.width), height: num(b.height) };
}

import type { JsonValue, Operation } from '@flowledger/bpmn-operations';
import type { ActorKind, DiagramEvent, DiagramEventType } from './diagram-event.js';
import { EventError } from './event-error.js';

/**
 * The Avro form of a diagram event, as avsc reads and writes it with `wrapUnions: 'auto'`:
 * nullable strings are plain `string | null`, each operation is wrapped in an object keyed by
 * its record's full name (the union has several records, so the branch must be named).
 */
export interface DiagramEventAvro {
  event_schema_version: number;
  event_type: DiagramEventType;
  tenant_id: string;
  diagram_id: string;
  diagram_name: string | null;
  version: number;
  base_version: number;
  transaction_id: string;
  actor_id: string;
  actor_kind: ActorKind;
  run_id: string | null;
  request_id: string | null;
  occurred_at: number;
  operations: OperationAvro[];
  id_map: Record<string, string>;
  result_hash: string;
}

export type OperationAvro = { [branch: string]: Record<string, unknown> };

const NS = 'dev.flowledger.events';

export function toAvroRecord(e: DiagramEvent): DiagramEventAvro {
  return {
    event_schema_version: e.eventSchemaVersion,
    event_type: e.eventType,
    tenant_id: e.tenantId,
    diagram_id: e.diagramId,
    diagram_name: e.diagramName,
    version: e.version,
    base_version: e.baseVersion,
    transaction_id: e.transactionId,
    actor_id: e.actorId,
    actor_kind: e.actorKind,
    run_id: e.runId,
    request_id: e.requestId,
    occurred_at: e.occurredAt.getTime(),
    operations: e.operations.map(operationToAvro),
    id_map: { ...e.idMap },
    result_hash: e.resultHash,
  };
}

export function fromAvroRecord(r: DiagramEventAvro): DiagramEvent {
  return {
    eventSchemaVersion: r.event_schema_version,
    eventType: r.event_type,
    tenantId: r.tenant_id,
    diagramId: r.diagram_id,
    diagramName: r.diagram_name ?? null,
    version: Number(r.version),
    baseVersion: Number(r.base_version),
    transactionId: r.transaction_id,
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    runId: r.run_id ?? null,
    requestId: r.request_id ?? null,
    occurredAt: new Date(Number(r.occurred_at)),
    operations: r.operations.map(operationFromAvro),
    idMap: { ...r.id_map },
    resultHash: r.result_hash,
  };
}

export function operationToAvro(op: Operation): OperationAvro {
  switch (op.kind) {
    case 'createShape':
      return wrap('CreateShape', {
        id: op.id,
        type: op.type,
        parent_id: op.parentId,
        bounds: bounds(op.bounds),
        name: op.name,
      });
    case 'createConnection':
      return wrap('CreateConnection', {
        id: op.id,
        type: op.type,
        source_id: op.sourceId,
        target_id: op.targetId,
        waypoints: op.waypoints.map(point),
        name: op.name,
      });
    case 'moveElements':
      return wrap('MoveElements', {
        element_ids: [...op.elementIds],
        delta: point(op.delta),
        new_parent_id: op.newParentId,
      });
    case 'resizeShape':
      return wrap('ResizeShape', { element_id: op.elementId, bounds: bounds(op.bounds) });
    case 'updateWaypoints':
      return wrap('UpdateWaypoints', { element_id: op.elementId, waypoints: op.waypoints.map(point) });
    case 'updateProperties':
      return wrap('UpdateProperties', { element_id: op.elementId, properties_json: JSON.stringify(op.properties) });
    case 'deleteElements':
      return wrap('DeleteElements', { element_ids: [...op.elementIds] });
    case 'replaceElement':
      return wrap('ReplaceElement', { element_id: op.elementId, new_type: op.newType });
    case 'importXml':
      return wrap('ImportXml', { xml: op.xml });
    default:
      return unreachable(op);
  }
}

export function operationFromAvro(wrapped: OperationAvro): Operation {
  const [branch, value] = Object.entries(wrapped)[0] ?? [];
  const v = (value ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  switch (branch) {
    case `${NS}.CreateShape`:
      return {
        kind: 'createShape',
        id: v.id,
        type: v.type,
        parentId: v.parent_id,
        bounds: bounds(v.bounds),
        name: v.name,
      };
    case `${NS}.CreateConnection`:
      return {
        kind: 'createConnection',
        id: v.id,
        type: v.type,
        sourceId: v.source_id,
        targetId: v.target_id,
        waypoints: v.waypoints.map(point),
        name: v.name,
      };
    case `${NS}.MoveElements`:
      return {
        kind: 'moveElements',
        elementIds: [...v.element_ids],
        delta: point(v.delta),
        newParentId: v.new_parent_id,
      };
    case `${NS}.ResizeShape`:
      return { kind: 'resizeShape', elementId: v.element_id, bounds: bounds(v.bounds) };
    case `${NS}.UpdateWaypoints`:
      return { kind: 'updateWaypoints', elementId: v.element_id, waypoints: v.waypoints.map(point) };
    case `${NS}.UpdateProperties`:
      return {
        kind: 'updateProperties',
        elementId: v.element_id,
        properties: JSON.parse(v.properties_json) as Record<string, JsonValue>,
      };
    case `${NS}.DeleteElements`:
      return { kind: 'deleteElements', elementIds: [...v.element_ids] };
    case `${NS}.ReplaceElement`:
      return { kind: 'replaceElement', elementId: v.element_id, newType: v.new_type };
    case `${NS}.ImportXml`:
      return { kind: 'importXml', xml: v.xml };
    default:
      // A newer writer added an operation kind this reader does not know yet.
      throw new EventError('UNDECODABLE_RECORD', `unknown operation record "${branch}" in a diagram event`, false);
  }
}

function wrap(name: string, fields: Record<string, unknown>): OperationAvro {
  return { [`${NS}.${name}`]: fields };
}

// Copies into plain objects: avsc hands out record instances, the domain wants plain values.
function bounds(b: { x: number; y: number; width: number; height: number }) {
  return { x: b.x, y: b.y, width: b.width, height: b.height };
}

function point(p: { x: number; y: number }) {
  return { x: p.x, y: p.y };
}

function unreachable(op: never): never {
  throw new Error(`unhandled operation kind ${(op as Operation).kind}`);
}

import type { Operation } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';

/** A lint finding kept with the version that produced it (the contract's `Violation`). */
export interface LintWarning {
  elementId: string;
  rule: string;
  message: string;
  line: number;
  column: number;
}

/** Where an event sits on its tenant's topic. */
export interface KafkaPosition {
  partition: number;
  offset: bigint;
}

/** One ledger row: the event, what was kept beside it, and whether the topic has it yet. */
export interface LedgerEntry {
  event: DiagramEvent;
  lintWarnings: LintWarning[];
  traceparent: string | null;
  recordedAt: Date;
  publishedAt: Date | null;
  position: KafkaPosition | null;
}

export interface DiagramSummary {
  diagramId: string;
  name: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionSummary {
  version: number;
  transactionId: string;
  actorId: string;
  actorKind: DiagramEvent['actorKind'];
  occurredAt: Date;
}

/** The `ledger_events` columns every read selects (everything but the XML). */
export const EVENT_COLUMNS = `tenant_id, diagram_id, version, base_version, event_type, event_schema_version,
  diagram_name, transaction_id, actor_id, actor_kind, run_id, request_id, occurred_at, operations, id_map,
  result_hash, lint_warnings, traceparent, recorded_at, published_at, kafka_partition, kafka_offset`;

export interface EventRow {
  tenant_id: string;
  diagram_id: string;
  version: string;
  base_version: string;
  event_type: DiagramEvent['eventType'];
  event_schema_version: number;
  diagram_name: string | null;
  transaction_id: string;
  actor_id: string;
  actor_kind: DiagramEvent['actorKind'];
  run_id: string | null;
  request_id: string | null;
  occurred_at: Date;
  operations: Operation[];
  id_map: Record<string, string>;
  result_hash: string;
  lint_warnings: LintWarning[];
  traceparent: string | null;
  recorded_at: Date;
  published_at: Date | null;
  kafka_partition: number | null;
  kafka_offset: string | null;
}

export function eventFromRow(r: EventRow): DiagramEvent {
  return {
    eventSchemaVersion: r.event_schema_version,
    eventType: r.event_type,
    tenantId: r.tenant_id,
    diagramId: r.diagram_id,
    diagramName: r.diagram_name,
    version: Number(r.version),
    baseVersion: Number(r.base_version),
    transactionId: r.transaction_id,
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    runId: r.run_id,
    requestId: r.request_id,
    occurredAt: r.occurred_at,
    operations: r.operations,
    idMap: r.id_map,
    resultHash: r.result_hash,
  };
}

export function entryFromRow(r: EventRow): LedgerEntry {
  return {
    event: eventFromRow(r),
    lintWarnings: r.lint_warnings,
    traceparent: r.traceparent,
    recordedAt: r.recorded_at,
    publishedAt: r.published_at,
    position:
      r.kafka_partition === null || r.kafka_offset === null
        ? null
        : { partition: r.kafka_partition, offset: BigInt(r.kafka_offset) },
  };
}

/** The parameters of an insert, in the order of INSERT_EVENT_SQL. */
export function insertParams(
  e: DiagramEvent,
  resultXmlGzip: Buffer,
  lintWarnings: LintWarning[],
  traceparent: string | null,
): unknown[] {
  return [
    e.tenantId,
    e.diagramId,
    e.version,
    e.baseVersion,
    e.eventType,
    e.eventSchemaVersion,
    e.diagramName,
    e.transactionId,
    e.actorId,
    e.actorKind,
    e.runId,
    e.requestId,
    e.occurredAt,
    JSON.stringify(e.operations),
    JSON.stringify(e.idMap),
    e.resultHash,
    resultXmlGzip,
    JSON.stringify(lintWarnings),
    traceparent,
  ];
}

export const INSERT_EVENT_SQL = `INSERT INTO ledger_events (tenant_id, diagram_id, version, base_version, event_type,
  event_schema_version, diagram_name, transaction_id, actor_id, actor_kind, run_id, request_id, occurred_at,
  operations, id_map, result_hash, result_xml_gzip, lint_warnings, traceparent)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
  RETURNING ${EVENT_COLUMNS}`;

import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { avroTypeOptions } from './diagram-event-schema.js';

/** The audit-entry schema version this code writes. */
export const AUDIT_ENTRY_SCHEMA_VERSION = 1;

export const AUDIT_ENTRY_SCHEMA_FILE = new URL('../../../schemas/avro/audit-entry/v1.avsc', import.meta.url);

export type AuditEntryAction = 'SUBMITTED' | 'APPROVED' | 'REJECTED' | 'APPLIED' | 'APPLY_FAILED';

/** One line of a tenant's review audit log (domain form of `audit-entry/v1.avsc`). */
export interface AuditEntryEvent {
  eventSchemaVersion: number;
  entryId: string;
  tenantId: string;
  at: Date;
  actorId: string;
  actorKind: 'USER' | 'AGENT';
  action: AuditEntryAction;
  reviewId: string;
  diagramId: string;
  version: number | null;
  runId: string;
  reason: string;
}

export interface AuditEntryAvro {
  event_schema_version: number;
  entry_id: string;
  tenant_id: string;
  at: number;
  actor_id: string;
  actor_kind: 'USER' | 'AGENT';
  action: AuditEntryAction;
  review_id: string;
  diagram_id: string;
  version: number | null;
  run_id: string;
  reason: string;
}

export function loadAuditEntrySchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(AUDIT_ENTRY_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

export function auditEntryAvroType(): avro.Type {
  return avro.Type.forSchema(loadAuditEntrySchema() as avro.Schema, avroTypeOptions());
}

export function auditEntryToAvro(e: AuditEntryEvent): AuditEntryAvro {
  return {
    event_schema_version: e.eventSchemaVersion,
    entry_id: e.entryId,
    tenant_id: e.tenantId,
    at: e.at.getTime(),
    actor_id: e.actorId,
    actor_kind: e.actorKind,
    action: e.action,
    review_id: e.reviewId,
    diagram_id: e.diagramId,
    version: e.version,
    run_id: e.runId,
    reason: e.reason,
  };
}

export function auditEntryFromAvro(r: AuditEntryAvro): AuditEntryEvent {
  return {
    eventSchemaVersion: r.event_schema_version,
    entryId: r.entry_id,
    tenantId: r.tenant_id,
    at: new Date(Number(r.at)),
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    action: r.action,
    reviewId: r.review_id,
    diagramId: r.diagram_id,
    version: r.version === null || r.version === undefined ? null : Number(r.version),
    runId: r.run_id,
    reason: r.reason,
  };
}

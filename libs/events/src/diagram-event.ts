import type { Operation } from '@flowledger/bpmn-operations';

/** The event-schema version this code writes; readers accept every version up to it. */
export const DIAGRAM_EVENT_SCHEMA_VERSION = 1;

export type DiagramEventType = 'DIAGRAM_CREATED' | 'CHANGES_APPLIED';
export type ActorKind = 'USER' | 'AGENT';

/**
 * One applied change to a diagram, in domain (camelCase) form. The Avro record on the topic
 * (`schemas/avro/diagram-event/v1.avsc`) carries the same fields in snake_case.
 */
export interface DiagramEvent {
  eventSchemaVersion: number;
  eventType: DiagramEventType;
  tenantId: string;
  diagramId: string;
  /** Set on DIAGRAM_CREATED, null otherwise. */
  diagramName: string | null;
  /** The version this event created: 1, 2, ... without gaps. */
  version: number;
  /** The version the proposal was made against: `version - 1`. */
  baseVersion: number;
  transactionId: string;
  actorId: string;
  actorKind: ActorKind;
  runId: string | null;
  requestId: string | null;
  /** Millisecond precision (Avro timestamp-millis). */
  occurredAt: Date;
  /** As applied: permanent ids, temporary ones already replaced through `idMap`. */
  operations: Operation[];
  /** Temporary id → permanent id. */
  idMap: Record<string, string>;
  /** sha256 (lowercase hex) of the resulting canonical BPMN XML, so replays can be verified. */
  resultHash: string;
}

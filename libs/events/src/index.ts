export {
  DIAGRAM_EVENT_SCHEMA_VERSION,
  type ActorKind,
  type DiagramEvent,
  type DiagramEventType,
} from './diagram-event.js';
export { fromAvroRecord, toAvroRecord, type DiagramEventAvro, type OperationAvro } from './diagram-event-avro.js';
export {
  avroTypeOptions,
  DIAGRAM_EVENT_SCHEMA_FILE,
  diagramEventAvroType,
  loadDiagramEventSchema,
} from './diagram-event-schema.js';
export { createEventCodec, type EventCodec, type EventCodecOptions } from './event-codec.js';
export { EventError, type EventErrorCode } from './event-error.js';
export { AVRO_CONFLUENT_CONTENT_TYPE, buildEventHeaders, type EventHeaderInput } from './event-headers.js';
export { computeResultHash } from './result-hash.js';
export {
  auditSubject,
  auditTopic,
  diagramEventsSubject,
  diagramEventsTopic,
  snapshotsSubject,
  snapshotsTopic,
} from './topics.js';
export { createSnapshotCodec, type SnapshotCodec } from './snapshot-codec.js';
export {
  SNAPSHOT_CREATED_SCHEMA_FILE,
  SNAPSHOT_CREATED_SCHEMA_VERSION,
  loadSnapshotCreatedSchema,
  snapshotCreatedAvroType,
  snapshotCreatedFromAvro,
  snapshotCreatedToAvro,
  type SnapshotCreated,
  type SnapshotCreatedAvro,
} from './snapshot-created.js';
export { createAuditCodec, type AuditCodec } from './audit-codec.js';
export {
  AUDIT_ENTRY_SCHEMA_FILE,
  AUDIT_ENTRY_SCHEMA_VERSION,
  auditEntryAvroType,
  auditEntryFromAvro,
  auditEntryToAvro,
  loadAuditEntrySchema,
  type AuditEntryAction,
  type AuditEntryAvro,
  type AuditEntryEvent,
} from './audit-entry.js';

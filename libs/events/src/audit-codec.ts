import { createAvroCodec, type AvroCodec } from './avro-codec.js';
import {
  auditEntryAvroType,
  auditEntryFromAvro,
  auditEntryToAvro,
  loadAuditEntrySchema,
  type AuditEntryEvent,
} from './audit-entry.js';
import { auditSubject } from './topics.js';

/** The Confluent wire format of `flowledger.<tenant>.audit`. */
export type AuditCodec = AvroCodec<AuditEntryEvent>;

export function createAuditCodec({ registryUrl }: { registryUrl: string }): AuditCodec {
  return createAvroCodec(registryUrl, {
    name: 'audit entry',
    schema: loadAuditEntrySchema(),
    type: auditEntryAvroType(),
    subjectOf: (entry) => auditSubject(entry.tenantId),
    toAvro: auditEntryToAvro,
    fromAvro: auditEntryFromAvro,
  });
}

import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  auditEntryAvroType,
  auditEntryFromAvro,
  auditEntryToAvro,
  loadAuditEntrySchema,
  type AuditEntryAvro,
  type AuditEntryEvent,
} from './audit-entry.js';
import { avroTypeOptions } from './diagram-event-schema.js';
import { classifyRegistryError, registerRacing } from './event-codec.js';
import { EventError } from './event-error.js';
import { auditSubject } from './topics.js';

/** The Confluent wire format for `flowledger.<tenant>.audit`, like the snapshot-created codec. */
export interface AuditCodec {
  encode(entry: AuditEntryEvent): Promise<Buffer>;
  decode(bytes: Buffer): Promise<AuditEntryEvent>;
}

export function createAuditCodec({ registryUrl }: { registryUrl: string }): AuditCodec {
  if (!registryUrl) throw new Error('events: registryUrl is required');
  const registry = new SchemaRegistry({ host: registryUrl }, { [SchemaType.AVRO]: avroTypeOptions() });
  const schema = JSON.stringify(loadAuditEntrySchema());
  const localType = auditEntryAvroType();
  const ids = new Map<string, Promise<number>>();
  const register = (subject: string): Promise<number> => {
    let id = ids.get(subject);
    if (!id) {
      id = registerRacing(() =>
        registry.register({ type: SchemaType.AVRO, schema }, { subject, compatibility: COMPATIBILITY.BACKWARD }),
      )
        .then((r) => r.id)
        .catch((err: unknown) => {
          ids.delete(subject);
          throw classifyRegistryError(err, subject);
        });
      ids.set(subject, id);
    }
    return id;
  };
  return {
    async encode(entry) {
      const record = auditEntryToAvro(entry);
      if (!localType.isValid(record)) {
        throw new EventError('INVALID_EVENT', 'audit entry does not fit its schema', false);
      }
      const id = await register(auditSubject(entry.tenantId));
      try {
        return await registry.encode(id, record);
      } catch (err) {
        throw classifyRegistryError(err, `schema id ${id}`);
      }
    },
    async decode(bytes) {
      if (bytes.length < 5 || bytes[0] !== 0) {
        throw new EventError('UNDECODABLE_RECORD', 'not a Confluent wire-format record (magic byte 0)', false);
      }
      try {
        return auditEntryFromAvro((await registry.decode(bytes)) as AuditEntryAvro);
      } catch (err) {
        throw classifyRegistryError(err, `schema id ${bytes.readInt32BE(1)}`);
      }
    },
  };
}

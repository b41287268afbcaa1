import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { avroTypeOptions } from './diagram-event-schema.js';
import { classifyRegistryError, registerRacing } from './event-codec.js';
import { EventError } from './event-error.js';
import {
  loadSnapshotCreatedSchema,
  snapshotCreatedAvroType,
  snapshotCreatedFromAvro,
  snapshotCreatedToAvro,
  type SnapshotCreated,
  type SnapshotCreatedAvro,
} from './snapshot-created.js';
import { snapshotsSubject } from './topics.js';

/** The Confluent wire format for `flowledger.<tenant>.snapshots`, like the diagram-event codec. */
export interface SnapshotCodec {
  encode(event: SnapshotCreated): Promise<Buffer>;
  decode(bytes: Buffer): Promise<SnapshotCreated>;
}

export function createSnapshotCodec({ registryUrl }: { registryUrl: string }): SnapshotCodec {
  if (!registryUrl) throw new Error('events: registryUrl is required');
  const registry = new SchemaRegistry({ host: registryUrl }, { [SchemaType.AVRO]: avroTypeOptions() });
  const schema = JSON.stringify(loadSnapshotCreatedSchema());
  const localType = snapshotCreatedAvroType();
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
    async encode(event) {
      const record = snapshotCreatedToAvro(event);
      if (!localType.isValid(record)) {
        throw new EventError('INVALID_EVENT', 'snapshot-created event does not fit its schema', false);
      }
      const id = await register(snapshotsSubject(event.tenantId));
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
        return snapshotCreatedFromAvro((await registry.decode(bytes)) as SnapshotCreatedAvro);
      } catch (err) {
        throw classifyRegistryError(err, `schema id ${bytes.readInt32BE(1)}`);
      }
    },
  };
}

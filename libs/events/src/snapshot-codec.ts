import { createAvroCodec, type AvroCodec } from './avro-codec.js';
import {
  loadSnapshotCreatedSchema,
  snapshotCreatedAvroType,
  snapshotCreatedFromAvro,
  snapshotCreatedToAvro,
  type SnapshotCreated,
} from './snapshot-created.js';
import { snapshotsSubject } from './topics.js';

/** The Confluent wire format of `flowledger.<tenant>.snapshots`. */
export type SnapshotCodec = AvroCodec<SnapshotCreated>;

export function createSnapshotCodec({ registryUrl }: { registryUrl: string }): SnapshotCodec {
  return createAvroCodec(registryUrl, {
    name: 'snapshot-created event',
    schema: loadSnapshotCreatedSchema(),
    type: snapshotCreatedAvroType(),
    subjectOf: (event) => snapshotsSubject(event.tenantId),
    toAvro: snapshotCreatedToAvro,
    fromAvro: snapshotCreatedFromAvro,
  });
}

import {
  SNAPSHOT_CREATED_SCHEMA_VERSION,
  snapshotsTopic,
  type SnapshotCodec,
  type SnapshotCreated,
} from '@flowledger/events';
import type { KafkaAdmin, KafkaProducer } from '@flowledger/kafka';
import type { StoredSnapshot } from './snapshot-store.js';

/** Puts a snapshot-created event on `flowledger.<tenant>.snapshots`, keyed by diagram id. */
export interface SnapshotAnnouncer {
  announce(snapshot: StoredSnapshot): Promise<void>;
}

export function createSnapshotAnnouncer(deps: {
  codec: SnapshotCodec;
  producer: KafkaProducer;
  admin: KafkaAdmin;
  partitions: number;
}): SnapshotAnnouncer {
  const topics = new Map<string, Promise<void>>();
  const ensureTopic = (tenantId: string) => {
    let ready = topics.get(tenantId);
    if (!ready) {
      ready = deps.admin.ensureTopics([{ name: snapshotsTopic(tenantId), partitions: deps.partitions }]);
      ready.catch(() => topics.delete(tenantId));
      topics.set(tenantId, ready);
    }
    return ready;
  };
  return {
    async announce(s) {
      await ensureTopic(s.tenantId);
      await deps.producer.send([
        {
          topic: snapshotsTopic(s.tenantId),
          key: s.diagramId,
          value: await deps.codec.encode(snapshotCreated(s)),
          headers: {
            'tenant-id': s.tenantId,
            'event-type': 'SNAPSHOT_CREATED',
            'content-type': 'application/vnd.confluent.avro',
          },
        },
      ]);
    },
  };
}

export function snapshotCreated(s: StoredSnapshot): SnapshotCreated {
  return {
    eventSchemaVersion: SNAPSHOT_CREATED_SCHEMA_VERSION,
    tenantId: s.tenantId,
    diagramId: s.diagramId,
    version: s.version,
    resultHash: s.resultHash,
    xmlBytes: s.bytes,
    compressedBytes: s.compressedBytes,
    compression: 'GZIP',
    archivePath: s.archivePath,
    createdAt: s.createdAt,
  };
}

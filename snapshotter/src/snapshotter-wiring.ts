import type pg from 'pg';
import { createSnapshotCodec } from '@flowledger/events';
import { createKafkaAdmin, createKafkaProducer } from '@flowledger/kafka';
import { createSnapshotAnnouncer } from './snapshot-announcer.js';
import { createSnapshotArchive } from './snapshot-archive.js';
import { migrateSnapshots } from './snapshot-migrations.js';
import { snapshotProjection } from './snapshot-projection.js';
import { createSnapshotSink, type SnapshotSink } from './snapshot-sink.js';
import { createSnapshotStore, type SnapshotStore, type StoredSnapshot } from './snapshot-store.js';
import type { SnapshotterConfig } from './snapshotter-config.js';
import { createTenantPolicies, type TenantPolicies } from './tenant-policies.js';
import type { Projection } from '@flowledger/projection';

export interface SnapshotterParts {
  store: SnapshotStore;
  sink: SnapshotSink;
  projection: Projection;
  policies: TenantPolicies;
  close(): Promise<void>;
}

/**
 * Builds the snapshot projection with its adapters (Postgres store, archive folder, announcer,
 * per-tenant policies):
 * used by the process (main.ts) and by the recovery CLI's rebuild. Migrates the tables first.
 */
export async function buildSnapshotter(
  pool: pg.Pool,
  config: Pick<SnapshotterConfig, 'policy' | 'archiveDir' | 'topicPartitions' | 'stack'>,
  options: {
    clientId: string;
    projectionVersion?: number;
    onAnnounceError?(error: unknown): void;
    onWritten?(snapshot: StoredSnapshot, seconds: number): void;
  },
): Promise<SnapshotterParts> {
  await migrateSnapshots(pool);
  const kafka = { brokers: config.stack.kafka.brokers, clientId: options.clientId };
  const producer = createKafkaProducer(kafka);
  const admin = createKafkaAdmin(kafka);
  const store = createSnapshotStore(pool);
  const policies = createTenantPolicies(pool, config.policy);
  const sink = createSnapshotSink({
    store,
    archive: createSnapshotArchive(config.archiveDir),
    announcer: createSnapshotAnnouncer({
      codec: createSnapshotCodec({ registryUrl: config.stack.schemaRegistry.url }),
      producer,
      admin,
      partitions: config.topicPartitions,
    }),
    policies,
    projectionVersion: options.projectionVersion ?? 1,
    onAnnounceError: options.onAnnounceError,
    onWritten: options.onWritten,
  });
  return {
    store,
    sink,
    policies,
    projection: snapshotProjection(sink, policies, options.projectionVersion),
    async close() {
      await Promise.all([producer.close(), admin.close()].map((p) => p.catch(() => undefined)));
    },
  };
}

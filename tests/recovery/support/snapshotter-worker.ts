/**
 * A snapshotter process of a test's own, for crash tests: the snapshot projection live over one
 * tenant's topic as snapshotter/src/main.ts runs it (outbox sweep at start, then the projector),
 * but with its store in a database of its own and a scratch projection version (its own
 * consumer group), so the stack's snapshotter, which writes the same tenant's snapshots into the
 * project database, never touches what the test looks at. Events and gaps come from the project
 * database's ledger. The policy and archive folder come from the usual variables
 * (FLOWLEDGER_SNAPSHOT_*). With FLOWLEDGER_CRASH_AT set it SIGKILLs itself at that point.
 *
 * Environment: FLOWLEDGER_TEST_TENANT, FLOWLEDGER_TEST_STORE_URL, FLOWLEDGER_TEST_PROJECTION_VERSION.
 */
import pg from 'pg';
import { createLedger } from '@flowledger/ledger';
import { startProjector } from '@flowledger/projection';
import { buildSnapshotter, createSnapshotSource, loadSnapshotterConfig } from '@flowledger/snapshotter';
import { TEST_PROJECTOR_TIMING } from '../../support/test-projector-timing.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`snapshotter-worker: ${name} is not set`);
  return value;
};

const config = loadSnapshotterConfig();
const ledgerPool = new pg.Pool({ connectionString: config.stack.postgres.url, max: 2 });
const storePool = new pg.Pool({ connectionString: env('FLOWLEDGER_TEST_STORE_URL'), max: 3 });
const parts = await buildSnapshotter(storePool, config, {
  clientId: `snapshotter-worker-${process.pid}`,
  projectionVersion: Number(env('FLOWLEDGER_TEST_PROJECTION_VERSION')),
});
await parts.sink.announcePending();
const projector = await startProjector({
  projection: parts.projection,
  brokers: config.stack.kafka.brokers,
  registryUrl: config.stack.schemaRegistry.url,
  ledger: createLedger({ pool: ledgerPool }),
  snapshots: createSnapshotSource(parts.store),
  tenants: [env('FLOWLEDGER_TEST_TENANT')],
  ...TEST_PROJECTOR_TIMING,
});
console.log('ready');

process.once('SIGTERM', () => {
  void (async () => {
    await projector.stop();
    await parts.close();
    await Promise.all([ledgerPool.end(), storePool.end()]);
    process.exit(0);
  })();
});

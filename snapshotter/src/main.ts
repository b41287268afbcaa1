import pg from 'pg';
import pino from 'pino';
import { createLedger, ledgerChangeNotices, migrateLedger } from '@flowledger/ledger';
import { serveMetrics } from '@flowledger/metrics';
import { createProjectionMetrics, startProjector } from '@flowledger/projection';
import { registry } from './snapshot-metrics.js';
import { createSnapshotSource } from './snapshot-source.js';
import { loadSnapshotterConfig } from './snapshotter-config.js';
import { buildSnapshotter } from './snapshotter-wiring.js';

// The snapshotter process: the snapshot projection as its own consumer group, plus its outbox sweep.
const config = loadSnapshotterConfig();
const logger = pino({
  base: { service: 'snapshotter' },
  level: process.env.LOG_LEVEL ?? 'info',
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

const pool = new pg.Pool({ connectionString: config.stack.postgres.url, max: 5 });
pool.on('error', (error) => logger.warn({ err: error }, 'idle Postgres connection failed'));
await migrateLedger(pool);
const parts = await buildSnapshotter(pool, config, {
  clientId: `snapshotter-${process.pid}`,
  onAnnounceError: (error) => logger.warn({ err: error }, 'snapshot stored, announcement deferred'),
});

const sweep = async () => {
  const announced = await parts.sink.announcePending().catch((error: unknown) => {
    logger.warn({ err: error }, 'could not announce pending snapshots yet');
    return 0;
  });
  if (announced > 0) logger.info({ announced }, 'announced pending snapshots');
};
await sweep();
const sweeper = setInterval(() => void sweep(), 10_000);

const projector = await startProjector({
  projection: parts.projection,
  brokers: config.stack.kafka.brokers,
  registryUrl: config.stack.schemaRegistry.url,
  ledger: createLedger({ pool }),
  snapshots: createSnapshotSource(parts.store),
  metrics: createProjectionMetrics(registry),
  logger,
  minFetchIntervalMs: config.stack.projectionFetchIntervalMs,
  // The ledger's change notices tell it which partitions to fetch (see startProjector).
  changeNotices: ledgerChangeNotices(config.stack.postgres.url, (err, channel) =>
    logger.warn({ err, channel }, 'cannot listen for ledger changes yet; retrying'),
  ),
  sweepIntervalMs: config.stack.projectionSweepIntervalMs,
});

const metrics = await serveMetrics(registry, config.metricsPort);
logger.info(
  { group: projector.groupId, archive: config.archiveDir, policy: config.policy, metrics_port: config.metricsPort },
  'snapshotter running',
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void (async () => {
      clearInterval(sweeper);
      await projector.stop();
      await parts.close();
      metrics.close();
      await pool.end();
      process.exit(0);
    })();
  });
}

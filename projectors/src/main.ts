import pg from 'pg';
import pino from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createLedger, ledgerChangeNotices, migrateLedger } from '@flowledger/ledger';
import { serveMetrics } from '@flowledger/metrics';
import { verifyToken } from '@flowledger/oidc';
import {
  createProjectionMetrics,
  startProjector,
  type Projection,
  type RunningProjector,
} from '@flowledger/projection';
import { openNeo4jReadModel } from './neo4j/index.js';
import { createPostgresProjection } from './postgres/postgres-projection.js';
import { loadProjectorsConfig } from './projectors.config.js';
import type { GraphQueries } from './query/graph-queries.js';
import { startQueryServer } from './query/query-server.js';
import { StatsQueries } from './query/stats-queries.js';
import { TenantPools } from './query/tenant-pools.js';

// The composition root of the read side: the projectors (one consumer group each) and the Query API.
const config = loadProjectorsConfig();
const { stack } = config;
const logger = pino({
  base: { service: 'projectors' },
  level: process.env.LOG_LEVEL ?? 'info',
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

const pool = new pg.Pool({ connectionString: stack.postgres.url, max: 10 });
pool.on('error', (error) => logger.warn({ err: error }, 'idle Postgres connection failed'));
// The ledger is what gaps are filled from and cold diagrams start from; its tables may not exist yet.
await migrateLedger(pool);
const ledger = createLedger({ pool });
const registry = new Registry();
collectDefaultMetrics({ register: registry });
const metrics = createProjectionMetrics(registry);

const neo4jReadModel = await openNeo4jReadModel({ ...stack.neo4j, projectionVersion: config.neo4j.projectionVersion });
const projections: Projection[] = [
  await createPostgresProjection({
    pool,
    version: config.postgres.projectionVersion,
    tenantSecret: config.postgres.readModelSecret,
  }),
  neo4jReadModel.projection,
];
const graph: GraphQueries = neo4jReadModel.queryApi;

// The ledger's change notices tell the projectors which partitions to fetch (see startProjector).
const changeNotices = ledgerChangeNotices(stack.postgres.url, (err, channel) =>
  logger.warn({ err, channel }, 'cannot listen for ledger changes yet; retrying'),
);
const running: RunningProjector[] = [];
for (const projection of projections) {
  running.push(
    await startProjector({
      projection,
      brokers: stack.kafka.brokers,
      registryUrl: stack.schemaRegistry.url,
      ledger,
      metrics,
      logger,
      discoveryIntervalMs: config.discoveryIntervalMs,
      minFetchIntervalMs: stack.projectionFetchIntervalMs,
      changeNotices,
      sweepIntervalMs: stack.projectionSweepIntervalMs,
    }),
  );
}

const tenantPools = new TenantPools(stack.postgres.url, config.postgres.readModelSecret);
const server = await startQueryServer({
  bindAddress: config.query.bindAddress,
  protoDir: config.protoDir,
  verifyToken: (jwt) => verifyToken(jwt, { issuer: stack.oidc.issuer, audience: 'flowledger' }),
  stats: new StatsQueries(tenantPools),
  graph,
  onError: (err, method) => logger.error({ err, method }, 'query failed'),
});

const metricsServer = await serveMetrics(registry, config.metrics.port);

logger.info(
  {
    query: config.query.bindAddress,
    metrics: config.metrics.port,
    groups: running.map((r) => r.groupId),
  },
  `projectors running; Query API on ${config.query.bindAddress}, metrics on :${config.metrics.port}/metrics`,
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void (async () => {
      server.forceShutdown();
      metricsServer.close();
      await Promise.all(running.map((r) => r.stop().catch(() => undefined)));
      await tenantPools.close();
      await neo4jReadModel.close();
      await pool.end();
      process.exit(0);
    })();
  });
}

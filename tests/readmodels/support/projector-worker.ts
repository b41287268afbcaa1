/**
 * A projectors process of a test's own, for crash tests: the Postgres and Neo4j projections of
 * a scratch read model (ScratchReadModels' versions, namespace and serving name), live over one
 * tenant's topic, each its own consumer group — as projectors/src/main.ts runs them, minus the
 * Query API. With FLOWLEDGER_CRASH_AT set it SIGKILLs itself at that point (@flowledger/crash-points).
 * Prints `ready` once both projectors run; SIGTERM stops it.
 *
 * Environment: FLOWLEDGER_TEST_TENANT, FLOWLEDGER_TEST_POSTGRES_VERSION, FLOWLEDGER_TEST_NAMESPACE,
 * FLOWLEDGER_TEST_NEO4J_VERSION, FLOWLEDGER_TEST_SERVING_NAME.
 */
import pg from 'pg';
import { loadStackConfig } from '@flowledger/config';
import { createLedger } from '@flowledger/ledger';
import { startProjector } from '@flowledger/projection';
import { openNeo4jReadModel } from '../../../projectors/src/neo4j/index.js';
import { createPostgresProjection } from '../../../projectors/src/postgres/postgres-projection.js';
import { SCRATCH_TENANT_SECRET } from './scratch-read-models.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`projector-worker: ${name} is not set`);
  return value;
};

const stack = loadStackConfig();
const tenant = env('FLOWLEDGER_TEST_TENANT');
const pool = new pg.Pool({ connectionString: stack.postgres.url, max: 4 });
const graph = await openNeo4jReadModel({
  ...stack.neo4j,
  projectionVersion: Number(env('FLOWLEDGER_TEST_NEO4J_VERSION')),
  servingName: env('FLOWLEDGER_TEST_SERVING_NAME'),
});
const postgres = await createPostgresProjection({
  pool,
  version: Number(env('FLOWLEDGER_TEST_POSTGRES_VERSION')),
  tenantSecret: SCRATCH_TENANT_SECRET,
  namespace: env('FLOWLEDGER_TEST_NAMESPACE'),
});
const ledger = createLedger({ pool });
const running = await Promise.all(
  [postgres, graph.projection].map((projection) =>
    startProjector({
      projection,
      brokers: stack.kafka.brokers,
      registryUrl: stack.schemaRegistry.url,
      ledger,
      tenants: [tenant],
      discoveryIntervalMs: 500,
      rejoinIntervalMs: 1_000,
      lagIntervalMs: 500,
      minFetchIntervalMs: 50,
    }),
  ),
);
console.log('ready');

process.once('SIGTERM', () => {
  void (async () => {
    await Promise.all(running.map((r) => r.stop().catch(() => undefined)));
    await graph.close();
    await pool.end();
    process.exit(0);
  })();
});

import { z } from 'zod';
import { loadStackConfig, type StackConfig } from '@flowledger/config';
import { DEFAULT_FREEZE_WAIT_MS } from '@flowledger/projection';
import { PROTO_DIR } from '@flowledger/protos';
import { NEO4J_PROJECTION_VERSION } from './neo4j/store/graph-labels.js';
import { POSTGRES_PROJECTION_VERSION } from './postgres/read-model-ddl.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Settings only the projectors process reads; where the rest of the stack lives comes from the stack config. */
const schema = z.object({
  /** 0.0.0.0 so Envoy (or another host) can reach the Query API. */
  FLOWLEDGER_QUERY_BIND_HOST: z.string().min(1).default('0.0.0.0'),
  FLOWLEDGER_PROJECTORS_METRICS_PORT: positiveInt(9466),
  /**
   * The Postgres read model's projection version; a new one rebuilds beside the old and then takes
   * over. Older versions than the code's have tables it cannot write.
   */
  FLOWLEDGER_POSTGRES_PROJECTION_VERSION: z.coerce
    .number()
    .int()
    .min(POSTGRES_PROJECTION_VERSION, `versions before ${POSTGRES_PROJECTION_VERSION} have tables of another shape`)
    .default(POSTGRES_PROJECTION_VERSION),
  /** The Neo4j graph's projection version (its labels and group); like Postgres's, a new one rebuilds beside the old. */
  FLOWLEDGER_NEO4J_PROJECTION_VERSION: positiveInt(NEO4J_PROJECTION_VERSION),
  /**
   * Derives each tenant's read-only Postgres password (HMAC). The projector, which creates the
   * roles, and the query service, which logs in with them, must share it. Set it in production.
   */
  FLOWLEDGER_READ_MODEL_SECRET: z.string().min(16).default('flowledger-dev-read-model-secret'),
  FLOWLEDGER_PROJECTION_DISCOVERY_MS: positiveInt(2_000),
  /**
   * How long a rebuild's freeze waits for the lock its live writer takes before every write; one
   * held longer (a writer stuck mid-transaction) fails the rebuild, naming who holds it.
   */
  FLOWLEDGER_REBUILD_FREEZE_WAIT_MS: positiveInt(DEFAULT_FREEZE_WAIT_MS),
  FLOWLEDGER_PROTO_DIR: z.string().min(1).optional(),
});

export interface ProjectorsConfig {
  query: { bindAddress: string };
  metrics: { port: number };
  postgres: { projectionVersion: number; readModelSecret: string };
  neo4j: { projectionVersion: number };
  discoveryIntervalMs: number;
  /** A rebuild's freeze: the longest wait for the live writer's lock, ms. */
  rebuildFreezeWaitMs: number;
  protoDir: string;
  stack: StackConfig;
}

/** Reads and validates the configuration once, at start; throws naming each bad variable. */
export function loadProjectorsConfig(env: NodeJS.ProcessEnv = process.env): ProjectorsConfig {
  const stack = loadStackConfig(env);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid projectors configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    query: { bindAddress: `${e.FLOWLEDGER_QUERY_BIND_HOST}:${stack.query.port}` },
    metrics: { port: e.FLOWLEDGER_PROJECTORS_METRICS_PORT },
    postgres: {
      projectionVersion: e.FLOWLEDGER_POSTGRES_PROJECTION_VERSION,
      readModelSecret: e.FLOWLEDGER_READ_MODEL_SECRET,
    },
    neo4j: { projectionVersion: e.FLOWLEDGER_NEO4J_PROJECTION_VERSION },
    discoveryIntervalMs: e.FLOWLEDGER_PROJECTION_DISCOVERY_MS,
    rebuildFreezeWaitMs: e.FLOWLEDGER_REBUILD_FREEZE_WAIT_MS,
    protoDir: e.FLOWLEDGER_PROTO_DIR ?? PROTO_DIR,
    stack,
  };
}

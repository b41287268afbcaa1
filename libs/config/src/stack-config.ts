import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Where every part of the stack lives. The embedded default is all on localhost; a production
 * deployment points each entry at an external cluster through the environment, with no code change.
 */
const schema = z.object({
  FLOWLEDGER_HOST: z.string().default('localhost'),
  FLOWLEDGER_KAFKA_BROKERS: z.string().default('localhost:9092'),
  FLOWLEDGER_KAFKA_CONTROLLER_PORT: z.coerce.number().int().positive().default(9093),
  /**
   * Partitions of each per-tenant topic when it is created. One suits the single-node embedded
   * stack, where every tenant's topic costs the broker memory and start-up time; a production
   * cluster sets more so consumers can spread a busy tenant's diagrams.
   */
  FLOWLEDGER_TOPIC_PARTITIONS: z.coerce.number().int().positive().default(1),
  FLOWLEDGER_SCHEMA_REGISTRY_PORT: z.coerce.number().int().positive().default(8081),
  FLOWLEDGER_SCHEMA_REGISTRY_URL: z.string().url().optional(),
  FLOWLEDGER_SCHEMA_REGISTRY_MANAGEMENT_PORT: z.coerce.number().int().positive().default(8082),
  DATABASE_URL: z.string().url().optional(),
  FLOWLEDGER_PG_PORT: z.coerce.number().int().positive().default(55432),
  FLOWLEDGER_NEO4J_BOLT_PORT: z.coerce.number().int().positive().default(7687),
  FLOWLEDGER_NEO4J_URL: z.string().optional(),
  FLOWLEDGER_NEO4J_USER: z.string().default('neo4j'),
  FLOWLEDGER_NEO4J_PASSWORD: z.string().min(8).default('flowledger-dev'),
  FLOWLEDGER_EDGE_PORT: z.coerce.number().int().positive().default(8080),
  FLOWLEDGER_ENVOY_ADMIN_PORT: z.coerce.number().int().positive().default(9901),
  FLOWLEDGER_GRPC_PORT: z.coerce.number().int().positive().default(50051),
  FLOWLEDGER_VALIDATOR_PORT: z.coerce.number().int().positive().default(50061),
  /** The validator's local socket; empty = gRPC only (validator-py README, "Transports"). */
  FLOWLEDGER_VALIDATOR_SOCKET: z
    .string()
    .refine((path) => path === '' || isAbsolute(path), 'an absolute path, or empty for none')
    .optional(),
  /** Where the checkout keeps var/ (the CLI's checkout.ts reads it too). */
  FLOWLEDGER_VAR_DIR: z.string().min(1).optional(),
  FLOWLEDGER_MODDLE_PORT: z.coerce.number().int().positive().default(50071),
  FLOWLEDGER_QUERY_PORT: z.coerce.number().int().positive().default(50081),
  FLOWLEDGER_OIDC_PORT: z.coerce.number().int().positive().default(8090),
  FLOWLEDGER_OIDC_ISSUER: z.string().url().optional(),
  FLOWLEDGER_WEB_PORT: z.coerce.number().int().positive().default(5180),
  FLOWLEDGER_READ_SIDE_NICE: z.coerce.number().int().min(0).max(19).default(10),
  FLOWLEDGER_PROJECTION_FETCH_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  FLOWLEDGER_PROJECTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
});

export interface StackConfig {
  host: string;
  kafka: { brokers: string[]; controllerPort: number; tenantTopicPartitions: number };
  /** `managementPort`: Apicurio's health and metrics interface (always on in its build). */
  schemaRegistry: { port: number; managementPort: number; url: string; external: boolean };
  postgres: {
    port: number;
    url: string;
    external: boolean;
    username: string;
    password: string;
    database: string;
    registryDatabase: string;
  };
  neo4j: { boltPort: number; url: string; username: string; password: string; external: boolean };
  edge: { port: number; url: string; adminPort: number };
  grpc: { port: number; address: string };
  /**
   * `socketPath`: the validator's local Unix socket, which the command service prefers to gRPC;
   * undefined = gRPC only. By default `<var>/run/validator.sock` when the stack's host is this
   * machine (a Unix socket reaches no other), else none.
   */
  validator: { port: number; address: string; socketPath: string | undefined };
  moddle: { port: number; address: string };
  /** The Query API (projectors process), reached through Envoy. */
  query: { port: number; address: string };
  oidc: { port: number; issuer: string; external: boolean };
  /** The web app's static server; browsers reach it through Envoy at `edge.url`, never directly. */
  web: { port: number };
  /**
   * CPU priority (nice, 0–19) of the processes whose work can wait — projectors, snapshotter,
   * Neo4j — when they share a machine with the write path (the embedded default): read models
   * are eventually consistent; a proposal's answer is not. 0 treats them alike.
   */
  readSideNiceness: number;
  /**
   * The least time between two fetches of a projector or the snapshotter (ms): what arrived
   * meanwhile is projected as one batch. Longer means fewer, larger writes and fewer wake-ups
   * beside the write path, and read models that much further behind.
   */
  projectionFetchIntervalMs: number;
  /**
   * How often a projector or the snapshotter fetches from every tenant topic (ms). Between sweeps
   * they fetch only the partitions of diagrams the ledger announced as changed (the command
   * service on each append, the relay on each late publish), and every partition at once after
   * their notice listener reconnected. A sweep finds what came without a notice: a notice lost
   * to a crash between the publish and the notice, records written by other tools.
   */
  projectionSweepIntervalMs: number;
}

const DEV_PG_USER = 'flowledger';
const DEV_PG_PASSWORD = 'flowledger';
const DEV_PG_DATABASE = 'flowledger';

/** Reads and validates the stack's locations once; throws a readable error naming each bad variable. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid flowledger configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const host = e.FLOWLEDGER_HOST;
  const pgUrl =
    e.DATABASE_URL ?? `postgres://${DEV_PG_USER}:${DEV_PG_PASSWORD}@${host}:${e.FLOWLEDGER_PG_PORT}/${DEV_PG_DATABASE}`;
  const pg = new URL(pgUrl);
  return {
    host,
    kafka: {
      brokers: e.FLOWLEDGER_KAFKA_BROKERS.split(',').map((b) => b.trim()),
      controllerPort: e.FLOWLEDGER_KAFKA_CONTROLLER_PORT,
      tenantTopicPartitions: e.FLOWLEDGER_TOPIC_PARTITIONS,
    },
    schemaRegistry: {
      port: e.FLOWLEDGER_SCHEMA_REGISTRY_PORT,
      managementPort: e.FLOWLEDGER_SCHEMA_REGISTRY_MANAGEMENT_PORT,
      url: e.FLOWLEDGER_SCHEMA_REGISTRY_URL ?? `http://${host}:${e.FLOWLEDGER_SCHEMA_REGISTRY_PORT}/apis/ccompat/v7`,
      external: e.FLOWLEDGER_SCHEMA_REGISTRY_URL !== undefined,
    },
    postgres: {
      port: Number(pg.port || 5432),
      url: pgUrl,
      external: e.DATABASE_URL !== undefined,
      username: decodeURIComponent(pg.username),
      password: decodeURIComponent(pg.password),
      database: pg.pathname.replace(/^\//, ''),
      registryDatabase: 'flowledger_registry',
    },
    neo4j: {
      boltPort: e.FLOWLEDGER_NEO4J_BOLT_PORT,
      url: e.FLOWLEDGER_NEO4J_URL ?? `bolt://${host}:${e.FLOWLEDGER_NEO4J_BOLT_PORT}`,
      username: e.FLOWLEDGER_NEO4J_USER,
      password: e.FLOWLEDGER_NEO4J_PASSWORD,
      external: e.FLOWLEDGER_NEO4J_URL !== undefined,
    },
    edge: {
      port: e.FLOWLEDGER_EDGE_PORT,
      url: `http://${host}:${e.FLOWLEDGER_EDGE_PORT}`,
      adminPort: e.FLOWLEDGER_ENVOY_ADMIN_PORT,
    },
    grpc: { port: e.FLOWLEDGER_GRPC_PORT, address: `${host}:${e.FLOWLEDGER_GRPC_PORT}` },
    validator: {
      port: e.FLOWLEDGER_VALIDATOR_PORT,
      address: `${host}:${e.FLOWLEDGER_VALIDATOR_PORT}`,
      socketPath: validatorSocket(e.FLOWLEDGER_VALIDATOR_SOCKET, host, e.FLOWLEDGER_VAR_DIR),
    },
    moddle: { port: e.FLOWLEDGER_MODDLE_PORT, address: `${host}:${e.FLOWLEDGER_MODDLE_PORT}` },
    query: { port: e.FLOWLEDGER_QUERY_PORT, address: `${host}:${e.FLOWLEDGER_QUERY_PORT}` },
    oidc: {
      port: e.FLOWLEDGER_OIDC_PORT,
      issuer: e.FLOWLEDGER_OIDC_ISSUER ?? `http://${host}:${e.FLOWLEDGER_OIDC_PORT}`,
      external: e.FLOWLEDGER_OIDC_ISSUER !== undefined,
    },
    web: { port: e.FLOWLEDGER_WEB_PORT },
    readSideNiceness: e.FLOWLEDGER_READ_SIDE_NICE,
    projectionFetchIntervalMs: e.FLOWLEDGER_PROJECTION_FETCH_INTERVAL_MS,
    projectionSweepIntervalMs: e.FLOWLEDGER_PROJECTION_SWEEP_INTERVAL_MS,
  };
}

/** sun_path holds 108 bytes on Linux, the terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 107;

function validatorSocket(given: string | undefined, host: string, varDir: string | undefined): string | undefined {
  if (given === '') return undefined;
  const local = host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  const path = given ?? (local ? join(varDir ?? checkoutVarDir(), 'run', 'validator.sock') : undefined);
  if (path !== undefined && Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(
      `invalid flowledger configuration:\n  FLOWLEDGER_VALIDATOR_SOCKET: ${path} is longer than a Unix socket path ` +
        `may be (${MAX_SOCKET_PATH_BYTES} bytes); set a shorter one, or empty for none`,
    );
  }
  return path;
}

function checkoutVarDir(): string {
  return join(fileURLToPath(new URL('../../..', import.meta.url)), 'var');
}

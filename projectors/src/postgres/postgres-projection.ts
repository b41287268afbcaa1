import type { Pool } from 'pg';
import type { Projection } from '@flowledger/projection';
import { createPostgresSink } from './postgres-sink.js';
import { ensureReadModelSchema } from './read-model-schema.js';
import { TenantRoles } from './tenant-roles.js';

export interface PostgresProjectionOptions {
  pool: Pool;
  /** Projection version (schema `rm_postgres_v<version>`, group `flowledger.projector.postgres.v<version>`). */
  version: number;
  /** Derives each tenant's read-only login password; the query service holds the same secret. */
  tenantSecret: string;
  ledgerEventsTable?: string;
  /** The schema of the views and `projection_versions` (default `read_model`; tests use their own). */
  namespace?: string;
  /** A rebuild's freeze: how long it waits for the live writer's lock (`FLOWLEDGER_REBUILD_FREEZE_WAIT_MS`). */
  freezeWaitMs?: number;
}

/** The Postgres read model: tables of every diagram's current state, its history and analytics views. */
export async function createPostgresProjection(options: PostgresProjectionOptions): Promise<Projection> {
  await ensureReadModelSchema(options.pool, options.version, options.namespace);
  return {
    name: 'postgres',
    version: options.version,
    canHandle: () => true,
    // Built from the replayed model alone: never pays for serializing.
    needsXml: () => false,
    sink: createPostgresSink({
      pool: options.pool,
      version: options.version,
      roles: new TenantRoles(options.pool, options.tenantSecret),
      ledgerEventsTable: options.ledgerEventsTable,
      namespace: options.namespace,
      freezeWaitMs: options.freezeWaitMs,
    }),
  };
}

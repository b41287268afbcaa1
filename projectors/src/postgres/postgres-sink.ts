import type { Pool } from 'pg';
import { crashPoint } from '@flowledger/crash-points';
import { inTransaction } from '@flowledger/ledger';
import type { ProjectedChange, ProjectionSink } from '@flowledger/projection';
import { beginPostgresBuild } from './postgres-build.js';
import { stateRows, writeChanges, writeHistory, writeState } from './postgres-rows.js';
import { TABLES } from './read-model-ddl.js';
import { joinStagedHistory, stageHistory } from './staged-history.js';
import {
  currentVersionSchema,
  lockVersionSchema,
  READ_MODEL_SCHEMA,
  switchViews,
  type Queryable,
} from './read-model-schema.js';
import type { TenantRoles } from './tenant-roles.js';

export interface PostgresSinkOptions {
  pool: Pool;
  version: number;
  roles: TenantRoles;
  /**
   * Where the ledger's `ledger_events` table is (default `public.ledger_events`, the read model
   * sharing the ledger's database): lint warnings are kept there with each version, not in the
   * event, so the version rows take them from it in the same INSERT … SELECT.
   */
  ledgerEventsTable?: string;
  /** The schema of the views and `projection_versions` (default `read_model`). */
  namespace?: string;
  /** A rebuild's freeze: how long it waits for the version row's lock (default 60 s). */
  freezeWaitMs?: number;
}

/**
 * The Postgres read model of one projection version. Every write is one transaction that also
 * moves `diagrams.applied_version`; state (diagram row, elements, flows) only ever moves forward,
 * and history rows are inserted once — so a re-delivered or concurrently written version is
 * harmless. Each write looks up the version's current tables under a share lock, so a rebuild's
 * switch to a new generation (`beginBuild`) waits for it and later writes follow the switch.
 */
export function createPostgresSink(options: PostgresSinkOptions): ProjectionSink {
  const { pool, version } = options;
  const ns = options.namespace ?? READ_MODEL_SCHEMA;
  const ledger = options.ledgerEventsTable ?? 'public.ledger_events';
  const into = (
    schema: (client: Queryable) => Promise<string>,
    tables: 'all' | 'history' = 'all',
    history: 'inserted' | 'staged' = 'inserted',
  ) => rowWriter(options, ledger, schema, tables, history);
  const write = into((client) => lockVersionSchema(client, version, ns));

  return {
    async appliedVersion(tenantId, diagramId) {
      return appliedIn(pool, await currentVersionSchema(pool, version, ns), tenantId, diagramId);
    },
    apply: (change) => write([change]),
    applyBatch: write,
    async reset(tenantId) {
      await inTransaction(pool, async (client) => {
        const s = await lockVersionSchema(client, version, ns);
        if (tenantId === undefined) await client.query(`TRUNCATE ${TABLES.map((t) => `${s}.${t}`).join(', ')}`);
        else for (const t of TABLES) await client.query(`DELETE FROM ${s}.${t} WHERE tenant_id = $1`, [tenantId]);
      });
    },
    async activate() {
      await inTransaction(pool, async (client) => {
        const { rows } = await client.query(
          `SELECT state FROM ${ns}.projection_versions WHERE version = $1 FOR UPDATE`,
          [version],
        );
        if ((rows[0] as { state?: string } | undefined)?.state !== 'active') await switchViews(client, version, ns);
      });
    },
    beginBuild: (tenants) =>
      beginPostgresBuild({
        pool,
        version,
        namespace: ns,
        tenants,
        ledgerEventsTable: ledger,
        freezeWaitMs: options.freezeWaitMs,
        sinkFor: (schema, tables) => {
          const fixed = into(async () => schema, tables, 'staged');
          return {
            appliedVersion: (tenantId, diagramId) => appliedIn(pool, schema, tenantId, diagramId),
            apply: (change) => fixed([change]),
            applyBatch: fixed,
            reset: async () => {}, // a build starts empty
          };
        },
      }),
  };
}

/**
 * Writes changes (all their rows, or the history rows only) in one transaction into the schema
 * `schemaOf` names inside it. A build's history rows are `staged` (staged-history.ts), the live
 * tables' `inserted` as they come.
 */
function rowWriter(
  options: PostgresSinkOptions,
  ledger: string,
  schemaOf: (client: Queryable) => Promise<string>,
  tables: 'all' | 'history',
  history: 'inserted' | 'staged',
) {
  return async (changes: ProjectedChange[]) => {
    if (changes.length === 0) return;
    // Rows are read from the diagrams before any await: the runner goes on replaying into them.
    const state = tables === 'all' ? stateRows(changes) : undefined;
    await options.roles.ensure(new Set(changes.map((c) => c.event.tenantId)));
    await inTransaction(options.pool, async (client) => {
      const schema = await schemaOf(client);
      if (history === 'staged') {
        if (state) await writeState(client, schema, ledger, state);
        await stageHistory(client, schema, changes);
        // A tenant build (history only) compares its rows at the switch: they get their lint counts now.
        if (!state) await joinStagedHistory(client, schema, ledger);
      } else if (state) await writeChanges(client, schema, ledger, state, changes);
      else await writeHistory(client, schema, ledger, changes);
      crashPoint('postgres-projection:before-commit');
    });
  };
}

async function appliedIn(pool: Pool, schema: string, tenantId: string, diagramId: string): Promise<number> {
  const { rows } = await pool.query<{ applied_version: string }>(
    `SELECT applied_version FROM ${schema}.diagrams WHERE tenant_id = $1 AND diagram_id = $2`,
    [tenantId, diagramId],
  );
  return rows[0] ? Number(rows[0].applied_version) : 0;
}

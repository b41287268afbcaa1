import type { Pool, PoolClient } from 'pg';
import {
  DEFAULT_FREEZE_WAIT_MS,
  freezeTimeout,
  settleSideBySide,
  type ProjectedChange,
  type ProjectionBuild,
  type ProjectionSink,
} from '@flowledger/projection';
import { STATE_TABLES, TABLE_KEYS, TABLES, versionDdl } from './read-model-ddl.js';
import { pointViews, tenantBuildSchema, versionSchema } from './read-model-schema.js';
import {
  moveStagedHistory,
  REBUILT_HISTORY,
  replaceWithRebuiltHistory,
  STAGED_HISTORY,
  stagedHistoryDdl,
} from './staged-history.js';
import { createHistoryQueue } from './history-queue.js';
import { replaceTenantRows } from './tenant-replace.js';
import { createStateCollector } from './tenant-state.js';

export interface PostgresBuildOptions {
  pool: Pool;
  version: number;
  namespace: string;
  /** Undefined: a new generation of the whole version; else those tenants' rows only. */
  tenants?: string[];
  /**
   * A sink writing into the given schema: the state tables and the staged history, or (a tenant
   * build) the history only, staged and joined with the ledger batch by batch (staged-history.ts).
   */
  sinkFor(schema: string, tables: 'all' | 'history'): ProjectionSink;
  /** The ledger's `ledger_events` table: the diagram rows' lint warnings come from it. */
  ledgerEventsTable: string;
  /** How long `freeze` waits for the version row's lock before it fails (default 60 s). */
  freezeWaitMs?: number;
}

/**
 * A rebuild target beside the serving tables of a projection version (item 5: the old content
 * serves until the switch). History rows are staged by COPY and moved in one statement
 * (staged-history.ts). Everything: a new generation's schema (`rm_postgres_vN_gG`), its staged
 * history moved into its tables after each reading round (`settle`) and at the switch; the switch
 * records it in `projection_versions` and, when the version is active, re-points the views in
 * the same transaction, then drops the old schema. Some tenants: a build schema holding their
 * rebuilt history and, from each reading round's end (`settle`), their diagrams' state
 * (`createStateCollector`: each diagram once, again only if it changed after); the switch replaces
 * their rows in the serving tables in one transaction, writing only the rows that differ
 * (`replaceTenantRows`), then drops the build. Either way readers see the old rows or the
 * new ones, never none. `freeze` locks the version's row FOR UPDATE: the live writer's FOR SHARE
 * waits, and after the switch it reads the new schema name. Tenants the rebuild could not rebuild
 * (`unchanged`) keep their serving rows: a tenant build leaves them out of the replacement, a new
 * generation gets a copy of them.
 * One rebuild per version at a time (a session advisory lock, held until the end).
 */
export async function beginPostgresBuild(o: PostgresBuildOptions): Promise<ProjectionBuild> {
  const { pool, version, namespace: ns, tenants } = o;
  const holder = await pool.connect();
  let target: string;
  try {
    const lock = await holder.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lockKey(o)]);
    if (!lock.rows[0]!.ok) throw new Error(`another rebuild of ${ns} projection version ${version} is running`);
    const { rows } = await holder.query<{ generation: number; schema_name: string }>(
      `SELECT generation, schema_name FROM ${ns}.projection_versions WHERE version = $1`,
      [version],
    );
    if (!rows[0]) throw new Error(`projection version ${version} is not in ${ns}.projection_versions`);
    target = tenants ? tenantBuildSchema(version) : versionSchema(version, rows[0].generation + 1);
    // A tenant build's state tables, unindexed: the switch compares them with the serving ones.
    // Every generation of a projection version has the same columns, whichever serves at the switch.
    const serving = rows[0].schema_name;
    const stateTables = tenants
      ? STATE_TABLES.map((t) => `CREATE UNLOGGED TABLE ${target}.${t} (LIKE ${serving}.${t});`)
      : [];
    // One query, so one implicit transaction (one commit to wait for, all or nothing); it first
    // drops what a rebuild that died left behind.
    await holder.query(
      [
        `DROP SCHEMA IF EXISTS ${target} CASCADE;`,
        tenants ? `CREATE SCHEMA ${target};` : versionDdl(target),
        `${stagedHistoryDdl(target, tenants !== undefined)};`,
        ...stateTables,
      ].join('\n'),
    );
  } catch (error) {
    await release(holder, o);
    throw error;
  }

  // A tenant build: each diagram's last change held for the switch, its history written behind the replay.
  const tenantBuild = tenants && {
    tenants,
    diagrams: createStateCollector(),
    history: createHistoryQueue(o.sinkFor(target, 'history'), HISTORY_BATCHES_BEHIND),
  };
  let state: 'building' | 'frozen' | 'done' = 'building';
  return {
    sink: tenantBuild ? collecting(tenantBuild) : o.sinkFor(target, 'all'),
    async settle() {
      // A tenant build's history can go to the serving tables only at the switch. Its state goes
      // into the build's tables now, beside the history's last writes (another connection), and
      // the switch writes only what changed after: less to do while the live writer is held.
      if (tenantBuild) {
        const { diagrams, history } = tenantBuild;
        await settleSideBySide([history.drain(), diagrams.writeInto(holder, target, o.ledgerEventsTable)]);
        return;
      }
      if (state !== 'building') return;
      await holder.query('BEGIN');
      try {
        await moveStagedHistory(holder, target, target, o.ledgerEventsTable);
        await holder.query('COMMIT');
      } catch (error) {
        await holder.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async freeze() {
      await holder.query('BEGIN');
      state = 'frozen';
      await lockVersionRow(holder, o);
    },
    async switchOver(unchanged = new Set<string>()) {
      if (state !== 'frozen') throw new Error('postgres build: switchOver before freeze');
      const kept = [...unchanged];
      const { rows } = await holder.query<{ schema_name: string; generation: number; state: string }>(
        `SELECT schema_name, generation, state FROM ${ns}.projection_versions WHERE version = $1`,
        [version],
      );
      const serving = rows[0]!.schema_name;
      if (tenantBuild) {
        const { diagrams, history } = tenantBuild;
        const replaced = tenantBuild.tenants.filter((t) => !unchanged.has(t));
        await history.drain();
        // The state goes into tables of the build first (most of it at settle): the switch then
        // writes only what differs.
        await diagrams.writeInto(holder, target, o.ledgerEventsTable);
        // What the build holds of tenants left as they are would otherwise be inserted.
        for (const t of kept.length > 0 ? [...STATE_TABLES, REBUILT_HISTORY] : []) {
          await holder.query(`DELETE FROM ${target}.${t} WHERE tenant_id = ANY($1)`, [kept]);
        }
        for (const t of STATE_TABLES) {
          const table = { serving: `${serving}.${t}`, rebuilt: `${target}.${t}`, key: TABLE_KEYS[t] };
          await replaceTenantRows(holder, table, replaced);
        }
        await replaceWithRebuiltHistory(holder, target, serving, replaced);
      } else {
        await moveStagedHistory(holder, target, target, o.ledgerEventsTable);
        await holder.query(`DROP TABLE ${target}.${STAGED_HISTORY}`);
        for (const t of kept.length > 0 ? TABLES : []) {
          await holder.query(`DELETE FROM ${target}.${t} WHERE tenant_id = ANY($1)`, [kept]);
          // The same projection version: the same columns in the same order.
          await holder.query(`INSERT INTO ${target}.${t} SELECT * FROM ${serving}.${t} WHERE tenant_id = ANY($1)`, [
            kept,
          ]);
        }
        await holder.query(
          `UPDATE ${ns}.projection_versions SET schema_name = $2, generation = generation + 1 WHERE version = $1`,
          [version, target],
        );
        if (rows[0]!.state === 'active') await pointViews(holder, target, ns);
      }
      await holder.query('COMMIT');
      state = 'done';
      try {
        // Readers still in the old tables finish first (DROP waits for their locks).
        await holder.query(`DROP SCHEMA IF EXISTS ${tenants ? target : serving} CASCADE`);
      } finally {
        await release(holder, o);
      }
    },
    async abort() {
      if (state === 'done') return;
      state = 'done';
      await tenantBuild?.history.drain().catch(() => undefined); // its writes end before their tables go
      try {
        await holder.query('ROLLBACK');
        await holder.query(`DROP SCHEMA IF EXISTS ${target} CASCADE`);
      } finally {
        await release(holder, o);
      }
    },
  };
}

/** History batches a tenant build's writes may be behind the rebuild's replay (`createHistoryQueue`). */
const HISTORY_BATCHES_BEHIND = 4;

/** A tenant build's sink: history written behind the rebuild (`createHistoryQueue`), each diagram's last change held for the switch. */
function collecting({
  diagrams,
  history,
}: {
  diagrams: ReturnType<typeof createStateCollector>;
  history: ReturnType<typeof createHistoryQueue>;
}): ProjectionSink {
  const applyBatch = (changes: ProjectedChange[]) => {
    diagrams.take(changes);
    return history.push(changes);
  };
  return {
    appliedVersion: async (tenantId, diagramId) => diagrams.appliedVersion(tenantId, diagramId),
    apply: (change) => applyBatch([change]),
    applyBatch,
    reset: async () => {}, // a build starts empty
  };
}

/**
 * The freeze's lock on the version's row, waited for at most `freezeWaitMs`: a session left open
 * while holding it would otherwise hold the rebuild without end. At the limit the error names it
 * and the sessions holding the table, from `pg_stat_activity`.
 */
async function lockVersionRow(holder: PoolClient, o: PostgresBuildOptions): Promise<void> {
  const waitMs = o.freezeWaitMs ?? DEFAULT_FREEZE_WAIT_MS;
  const table = `${o.namespace}.projection_versions`;
  const { rows: me } = await holder.query<{ pid: number }>(
    `SELECT pg_backend_pid() AS pid, set_config('lock_timeout', $1, true)`,
    [String(Math.max(1, Math.round(waitMs)))],
  );
  try {
    await holder.query(`SELECT 1 FROM ${table} WHERE version = $1 FOR UPDATE`, [o.version]);
  } catch (error) {
    if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
    const { rows } = await o.pool.query<{ pid: number; app: string; state: string; seconds: number; query: string }>(
      `SELECT a.pid, a.application_name AS app, a.state,
              round(extract(epoch FROM now() - a.xact_start))::int AS seconds, left(a.query, 120) AS query
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.relation = $1::regclass AND l.granted AND l.pid <> $2
        ORDER BY a.xact_start`,
      [table, me[0]!.pid],
    );
    const held = rows.map((r) => `pid ${r.pid} (${r.app || 'no name'}), ${r.state} for ${r.seconds} s: "${r.query}"`);
    throw freezeTimeout(
      `postgres: the lock on projection version ${o.version}'s row in ${table}`,
      waitMs,
      `sessions holding the table: ${held.join('; ') || 'none now'}`,
      error,
    );
  }
  // The switch's own statements wait as long as they must: they run while the live writer is held.
  await holder.query('SET LOCAL lock_timeout = 0');
}

/** Postgres' SQLSTATE for a lock not obtained within `lock_timeout`. */
const LOCK_NOT_AVAILABLE = '55P03';

function lockKey(o: PostgresBuildOptions): string {
  return `flowledger.rebuild.${o.namespace}.v${o.version}`;
}

async function release(holder: PoolClient, o: PostgresBuildOptions): Promise<void> {
  const unlocked = await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(o)]).then(
    () => true,
    () => false,
  );
  holder.release(!unlocked);
}

import type { Pool } from 'pg';
import { READ_MODEL_SCHEMA, sharedDdl, TENANT_READER_ROLE, versionDdl } from './read-model-ddl.js';

export { READ_MODEL_SCHEMA, TENANT_READER_ROLE } from './read-model-ddl.js';

/** What runs queries: a pool, or a client inside a transaction. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Views each version has in its schema; the namespace exposes them and the tables under the same names. */
export const READ_MODEL_RELATIONS = [
  'diagrams',
  'elements',
  'flows',
  'versions',
  'actor_activity',
  'element_counts_by_type',
  'edits_per_actor_per_day',
  'lint_warning_density',
] as const;

/**
 * The schema of one projection version's tables. A full rebuild writes a new generation beside
 * the serving one (`rm_postgres_v1_g2`, …) and switches to it; generation 1 keeps the plain name.
 */
export function versionSchema(version: number, generation = 1): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`projection version must be ≥ 1, got ${version}`);
  if (!Number.isSafeInteger(generation) || generation < 1) throw new Error(`generation must be ≥ 1, got ${generation}`);
  return generation === 1 ? `rm_postgres_v${version}` : `rm_postgres_v${version}_g${generation}`;
}

/** Where a rebuild of some tenants of `version` is built before it replaces their rows. */
export function tenantBuildSchema(version: number): string {
  return `${versionSchema(version)}_build`;
}

/** The namespace name must be usable as an identifier as it is (it is put into DDL). */
export function checkNamespace(ns: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(ns)) throw new Error(`read model namespace "${ns}" is not a plain identifier`);
  return ns;
}

/**
 * Creates (idempotently, under an advisory lock) the namespace `ns` (default `read_model`) and the
 * tables, views, row-level security policies and grants of projection version `version`. The
 * first version ever created in a namespace becomes active at once: nothing older must keep serving.
 */
export async function ensureReadModelSchema(pool: Pool, version: number, ns = READ_MODEL_SCHEMA): Promise<void> {
  checkNamespace(ns);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['flowledger.read_model.schema']);
    await client.query('BEGIN');
    await client.query(sharedDdl(ns));
    const s = await currentVersionSchema(client, version, ns);
    await client.query(versionDdl(s));
    await client.query(
      `INSERT INTO ${ns}.projection_versions (version, schema_name, state) VALUES ($1, $2, 'building')
       ON CONFLICT (version) DO NOTHING`,
      [version, s],
    );
    const { rows } = await client.query(`SELECT 1 FROM ${ns}.projection_versions WHERE state = 'active'`);
    if (rows.length === 0) await switchViews(client, version, ns);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtext($1))', ['flowledger.read_model.schema'])
      .catch(() => undefined);
    client.release();
  }
}

/** The schema that holds projection version `version`'s tables now (as `projection_versions` records it). */
export async function currentVersionSchema(
  client: Queryable,
  version: number,
  ns = READ_MODEL_SCHEMA,
): Promise<string> {
  const { rows } = await client.query(
    `SELECT schema_name FROM ${checkNamespace(ns)}.projection_versions WHERE version = $1`,
    [version],
  );
  return (rows[0] as { schema_name?: string } | undefined)?.schema_name ?? versionSchema(version);
}

/**
 * In the caller's transaction: the schema to write version `version` into, with its row locked
 * FOR SHARE — so a rebuild's switch to a new generation (FOR UPDATE) waits for this write, and a
 * write after the switch goes to the new tables.
 */
export async function lockVersionSchema(client: Queryable, version: number, ns = READ_MODEL_SCHEMA): Promise<string> {
  const { rows } = await client.query(
    `SELECT schema_name FROM ${ns}.projection_versions WHERE version = $1 FOR SHARE`,
    [version],
  );
  const schema = (rows[0] as { schema_name?: string } | undefined)?.schema_name;
  if (!schema) throw new Error(`projection version ${version} is not in ${ns}.projection_versions`);
  return schema;
}

/**
 * Points the namespace's views at `version`'s current tables and records it active — unless a
 * newer version is active already (a late catch-up of an old version must not take over).
 * Runs in the caller's transaction.
 */
export async function switchViews(client: Queryable, version: number, ns = READ_MODEL_SCHEMA): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT version FROM ${ns}.projection_versions WHERE state = 'active' AND version > $1`,
    [version],
  );
  if (rows.length > 0) return false;
  await pointViews(client, await currentVersionSchema(client, version, ns), ns);
  await client.query(
    `UPDATE ${ns}.projection_versions SET state = CASE WHEN version = $1 THEN 'active' ELSE 'retired' END,
       activated_at = CASE WHEN version = $1 THEN now() ELSE activated_at END
     WHERE version = $1 OR state = 'active'`,
    [version],
  );
  return true;
}

/** Re-creates the namespace's views over `schema` (in the caller's transaction, so readers switch at commit). */
export async function pointViews(client: Queryable, schema: string, ns = READ_MODEL_SCHEMA): Promise<void> {
  await lockViews(client, ns);
  for (const relation of READ_MODEL_RELATIONS) {
    // Dropped and re-created: a new version may have different columns. security_invoker makes
    // the querying role's RLS apply through the view (a view otherwise runs as its owner).
    await client.query(`DROP VIEW IF EXISTS ${ns}.${relation}`);
    await client.query(
      `CREATE VIEW ${ns}.${relation} WITH (security_invoker = true) AS SELECT * FROM ${schema}.${relation}`,
    );
    await client.query(`GRANT SELECT ON ${ns}.${relation} TO ${TENANT_READER_ROLE}`);
  }
}

/**
 * Takes every existing view of the namespace at once, before they are dropped one by one. A
 * reader's query locks the views it reads in its own order; taking them in another order while
 * waiting would let a reader and the switch wait for each other (a deadlock, which Postgres ends
 * by failing one of them). So the switch never waits holding some: NOWAIT, and on a conflict
 * it lets go of what it took (a savepoint) and tries again a moment later.
 */
async function lockViews(client: Queryable, ns: string, attempts = 250): Promise<void> {
  const { rows } = await client.query(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'v' AND c.relname = ANY($2)`,
    [ns, [...READ_MODEL_RELATIONS]],
  );
  const views = (rows as Array<{ relname: string }>).map((r) => `${ns}.${r.relname}`);
  if (views.length === 0) return;
  for (let attempt = 1; ; attempt++) {
    await client.query('SAVEPOINT lock_views');
    try {
      await client.query(`LOCK TABLE ${views.join(', ')} IN ACCESS EXCLUSIVE MODE NOWAIT`);
      await client.query('RELEASE SAVEPOINT lock_views');
      return;
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT lock_views');
      if ((error as { code?: string }).code !== '55P03' || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

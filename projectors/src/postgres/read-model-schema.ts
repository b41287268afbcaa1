import type { Pool } from 'pg';

/** The schema of one projection version: fresh tables per version, so a rebuild never disturbs the one serving. */
export function versionSchema(version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`projection version must be ≥ 1, got ${version}`);
  return `rm_postgres_v${version}`;
}

/** The schema that holds projection version `version`'s tables now (as `projection_versions` records it). */
export async function currentVersionSchema(
  client: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> },
  version: number,
): Promise<string> {
  const { rows } = await client.query(
    `SELECT schema_name FROM ${READ_MODEL_SCHEMA}.projection_versions WHERE version = $1`,
    [version],
  );
  return (rows[0] as { schema_name?: string } | undefined)?.schema_name ?? versionSchema(version);
}

/** The stable schema readers query: views over the active version's tables, plus the bookkeeping. */
export const READ_MODEL_SCHEMA = 'read_model';
/** NOLOGIN group every tenant login role belongs to: it holds the SELECT grants, RLS picks the rows. */
export const TENANT_READER_ROLE = 'flowledger_tenant_reader';

/** Tables and views every version has; `read_model` exposes each under the same name. */
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
const TABLES = ['diagrams', 'elements', 'flows', 'versions', 'actor_activity'] as const;

/** The tenant a login role reads as; RLS policies compare every row's tenant_id with it. */
const CURRENT_TENANT = `(SELECT tenant_id FROM ${READ_MODEL_SCHEMA}.tenant_roles WHERE role_name = current_user)`;

/**
 * Creates (idempotently, under an advisory lock) the `read_model` schema and the tables, views,
 * row-level security policies and grants of projection version `version`. The first version
 * ever created becomes active at once, since there is nothing older to keep serving.
 */
export async function ensureReadModelSchema(pool: Pool, version: number): Promise<void> {
  const s = versionSchema(version);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['flowledger.read_model.schema']);
    await client.query('BEGIN');
    await client.query(sharedDdl());
    await client.query(versionDdl(s));
    await client.query(
      `INSERT INTO ${READ_MODEL_SCHEMA}.projection_versions (version, schema_name, state) VALUES ($1, $2, 'building')
       ON CONFLICT (version) DO NOTHING`,
      [version, s],
    );
    const { rows } = await client.query(
      `SELECT 1 FROM ${READ_MODEL_SCHEMA}.projection_versions WHERE state = 'active'`,
    );
    if (rows.length === 0) await switchViews(client, version);
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

/**
 * Points the `read_model` views at `version` and records it active — unless a newer version is
 * active already (a late catch-up of an old version must not take over). Runs in the caller's transaction.
 */
export async function switchViews(
  client: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> },
  version: number,
): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT version FROM ${READ_MODEL_SCHEMA}.projection_versions WHERE state = 'active' AND version > $1`,
    [version],
  );
  if (rows.length > 0) return false;
  const s = versionSchema(version);
  for (const relation of READ_MODEL_RELATIONS) {
    // Dropped and re-created: a new version may have different columns. security_invoker makes
    // the querying role's RLS apply through the view (a view otherwise runs as its owner).
    await client.query(`DROP VIEW IF EXISTS ${READ_MODEL_SCHEMA}.${relation}`);
    await client.query(
      `CREATE VIEW ${READ_MODEL_SCHEMA}.${relation} WITH (security_invoker = true) AS SELECT * FROM ${s}.${relation}`,
    );
    await client.query(`GRANT SELECT ON ${READ_MODEL_SCHEMA}.${relation} TO ${TENANT_READER_ROLE}`);
  }
  await client.query(
    `UPDATE ${READ_MODEL_SCHEMA}.projection_versions SET state = CASE WHEN version = $1 THEN 'active' ELSE 'retired' END,
       activated_at = CASE WHEN version = $1 THEN now() ELSE activated_at END
     WHERE version = $1 OR state = 'active'`,
    [version],
  );
  return true;
}

function sharedDdl(): string {
  const rm = READ_MODEL_SCHEMA;
  return `
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${TENANT_READER_ROLE}') THEN
    CREATE ROLE ${TENANT_READER_ROLE} NOLOGIN;
  END IF;
END $$;
CREATE SCHEMA IF NOT EXISTS ${rm};
GRANT USAGE ON SCHEMA ${rm} TO ${TENANT_READER_ROLE};
CREATE TABLE IF NOT EXISTS ${rm}.projection_versions (
  version      integer PRIMARY KEY,
  schema_name  text        NOT NULL,
  state        text        NOT NULL CHECK (state IN ('building', 'active', 'retired')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz
);
-- Which tenant each login role reads as. A role sees only its own row (RLS below).
CREATE TABLE IF NOT EXISTS ${rm}.tenant_roles (
  role_name text PRIMARY KEY,
  tenant_id text NOT NULL UNIQUE
);
ALTER TABLE ${rm}.tenant_roles ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_role ON ${rm}.tenant_roles;
CREATE POLICY own_role ON ${rm}.tenant_roles FOR SELECT TO ${TENANT_READER_ROLE} USING (role_name = current_user);
GRANT SELECT ON ${rm}.tenant_roles TO ${TENANT_READER_ROLE};
GRANT SELECT ON ${rm}.projection_versions TO ${TENANT_READER_ROLE};
`;
}

function versionDdl(s: string): string {
  const policies = TABLES.map(
    (t) => `
ALTER TABLE ${s}.${t} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_rows ON ${s}.${t};
CREATE POLICY tenant_rows ON ${s}.${t} FOR SELECT TO ${TENANT_READER_ROLE} USING (tenant_id = ${CURRENT_TENANT});
GRANT SELECT ON ${s}.${t} TO ${TENANT_READER_ROLE};`,
  ).join('\n');
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
GRANT USAGE ON SCHEMA ${s} TO ${TENANT_READER_ROLE};
CREATE TABLE IF NOT EXISTS ${s}.diagrams (
  tenant_id          text        NOT NULL,
  diagram_id         text        NOT NULL,
  name               text,
  -- The projection's bookkeeping: the last version written, in the same transaction as the rows.
  applied_version    bigint      NOT NULL,
  result_hash        text        NOT NULL,
  element_count      integer     NOT NULL,
  flow_count         integer     NOT NULL,
  lint_warning_count integer     NOT NULL,
  created_at         timestamptz,
  created_by         text,
  updated_at         timestamptz NOT NULL,
  updated_by         text        NOT NULL,
  PRIMARY KEY (tenant_id, diagram_id)
);
CREATE TABLE IF NOT EXISTS ${s}.elements (
  tenant_id    text NOT NULL,
  diagram_id   text NOT NULL,
  element_id   text NOT NULL,
  element_type text NOT NULL,
  name         text,
  parent_id    text,
  PRIMARY KEY (tenant_id, diagram_id, element_id)
);
CREATE TABLE IF NOT EXISTS ${s}.flows (
  tenant_id  text NOT NULL,
  diagram_id text NOT NULL,
  flow_id    text NOT NULL,
  flow_type  text NOT NULL,
  source_id  text,
  target_id  text,
  name       text,
  PRIMARY KEY (tenant_id, diagram_id, flow_id)
);
CREATE TABLE IF NOT EXISTS ${s}.versions (
  tenant_id          text        NOT NULL,
  diagram_id         text        NOT NULL,
  version            bigint      NOT NULL,
  event_type         text        NOT NULL,
  transaction_id     text        NOT NULL,
  actor_id           text        NOT NULL,
  actor_kind         text        NOT NULL,
  run_id             text,
  occurred_at        timestamptz NOT NULL,
  operation_count    integer     NOT NULL,
  result_hash        text        NOT NULL,
  -- From the ledger: lint findings are kept with the version, not carried by the event.
  lint_warning_count integer     NOT NULL,
  lint_warnings      jsonb       NOT NULL,
  PRIMARY KEY (tenant_id, diagram_id, version)
);
CREATE TABLE IF NOT EXISTS ${s}.actor_activity (
  tenant_id  text    NOT NULL,
  actor_id   text    NOT NULL,
  day        date    NOT NULL,
  diagram_id text    NOT NULL,
  edits      integer NOT NULL,
  PRIMARY KEY (tenant_id, actor_id, day, diagram_id)
);
CREATE OR REPLACE VIEW ${s}.element_counts_by_type WITH (security_invoker = true) AS
  SELECT tenant_id, diagram_id, element_type, count(*)::integer AS element_count
  FROM ${s}.elements GROUP BY tenant_id, diagram_id, element_type;
CREATE OR REPLACE VIEW ${s}.edits_per_actor_per_day WITH (security_invoker = true) AS
  SELECT tenant_id, actor_id, day, sum(edits)::integer AS edits, count(*)::integer AS diagrams
  FROM ${s}.actor_activity GROUP BY tenant_id, actor_id, day;
CREATE OR REPLACE VIEW ${s}.lint_warning_density WITH (security_invoker = true) AS
  SELECT d.tenant_id, d.diagram_id, d.applied_version AS version, d.lint_warning_count, d.element_count,
         CASE WHEN d.element_count = 0 THEN 0 ELSE d.lint_warning_count::float8 / d.element_count END AS density,
         (SELECT avg(v.lint_warning_count)::float8 FROM ${s}.versions v
           WHERE v.tenant_id = d.tenant_id AND v.diagram_id = d.diagram_id) AS mean_warnings_per_version
  FROM ${s}.diagrams d;
GRANT SELECT ON ${s}.element_counts_by_type, ${s}.edits_per_actor_per_day, ${s}.lint_warning_density TO ${TENANT_READER_ROLE};
${policies}
`;
}

/**
 * The projection version this code writes by default, and the oldest whose tables it can write:
 * bump it when the tables change. v2: a version row keeps the count of its lint warnings, and
 * the diagram row the current version's warnings (v1 copied every version's warnings, a list that
 * grows with the diagram, into its row: 2.7 KB per row for 4 KB diagrams, 24 KB for 80 KB ones).
 */
export const POSTGRES_PROJECTION_VERSION = 2;

/** The stable schema readers query: views over the active version's tables, plus the bookkeeping. */
export const READ_MODEL_SCHEMA = 'read_model';
/** NOLOGIN group every tenant login role belongs to: it holds the SELECT grants, RLS picks the rows. */
export const TENANT_READER_ROLE = 'flowledger_tenant_reader';

/** The tables each projection version has; views over them carry the same names in the namespace. */
export const TABLES = ['diagrams', 'elements', 'flows', 'versions', 'actor_activity'] as const;
/** The tables of the diagrams' state: their rows follow each diagram's latest version. */
export const STATE_TABLES = ['diagrams', 'elements', 'flows'] as const;
/** The primary keys of the tables a tenant rebuild compares row by row (`versionDdl` declares them). */
export const TABLE_KEYS = {
  diagrams: ['tenant_id', 'diagram_id'],
  elements: ['tenant_id', 'diagram_id', 'element_id'],
  flows: ['tenant_id', 'diagram_id', 'flow_id'],
  versions: ['tenant_id', 'diagram_id', 'version'],
} as const satisfies Record<string, readonly string[]>;

/** The tenant a login role reads as; RLS policies compare every row's tenant_id with it. */
const CURRENT_TENANT = `(SELECT tenant_id FROM ${READ_MODEL_SCHEMA}.tenant_roles WHERE role_name = current_user)`;

/**
 * The bookkeeping every namespace has (`projection_versions`, in `ns`) and the tenant roles,
 * which live in `read_model` for every namespace: RLS policies compare rows with them.
 */
export function sharedDdl(ns: string): string {
  const rm = READ_MODEL_SCHEMA;
  return `
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${TENANT_READER_ROLE}') THEN
    CREATE ROLE ${TENANT_READER_ROLE} NOLOGIN;
  END IF;
END $$;
CREATE SCHEMA IF NOT EXISTS ${rm};
GRANT USAGE ON SCHEMA ${rm} TO ${TENANT_READER_ROLE};
CREATE SCHEMA IF NOT EXISTS ${ns};
GRANT USAGE ON SCHEMA ${ns} TO ${TENANT_READER_ROLE};
CREATE TABLE IF NOT EXISTS ${ns}.projection_versions (
  version      integer PRIMARY KEY,
  -- The schema holding the version's tables now: a full rebuild moves it to a new generation.
  schema_name  text        NOT NULL,
  state        text        NOT NULL CHECK (state IN ('building', 'active', 'retired')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz
);
ALTER TABLE ${ns}.projection_versions ADD COLUMN IF NOT EXISTS generation integer NOT NULL DEFAULT 1;
GRANT SELECT ON ${ns}.projection_versions TO ${TENANT_READER_ROLE};
-- Which tenant each login role reads as. A role sees only its own row (RLS below).
CREATE TABLE IF NOT EXISTS ${rm}.tenant_roles (
  role_name text PRIMARY KEY,
  tenant_id text NOT NULL UNIQUE
);
ALTER TABLE ${rm}.tenant_roles ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_role ON ${rm}.tenant_roles;
CREATE POLICY own_role ON ${rm}.tenant_roles FOR SELECT TO ${TENANT_READER_ROLE} USING (role_name = current_user);
GRANT SELECT ON ${rm}.tenant_roles TO ${TENANT_READER_ROLE};
`;
}

/** The columns of a version row that come from its event: a rebuild stages them alone (staged-history.ts). */
export const VERSION_EVENT_COLUMNS = `
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
  result_hash        text        NOT NULL`;

/** The tables, views, RLS policies and grants of one projection version's schema (idempotent). */
export function versionDdl(s: string): string {
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
  -- The current version's lint findings, from the ledger (every version's are kept there).
  lint_warnings      jsonb       NOT NULL,
  created_at         timestamptz,
  created_by         text,
  updated_at         timestamptz NOT NULL,
  updated_by         text        NOT NULL,
  PRIMARY KEY (${TABLE_KEYS.diagrams.join(', ')})
);
CREATE TABLE IF NOT EXISTS ${s}.elements (
  tenant_id    text NOT NULL,
  diagram_id   text NOT NULL,
  element_id   text NOT NULL,
  element_type text NOT NULL,
  name         text,
  parent_id    text,
  PRIMARY KEY (${TABLE_KEYS.elements.join(', ')})
);
CREATE TABLE IF NOT EXISTS ${s}.flows (
  tenant_id  text NOT NULL,
  diagram_id text NOT NULL,
  flow_id    text NOT NULL,
  flow_type  text NOT NULL,
  source_id  text,
  target_id  text,
  name       text,
  PRIMARY KEY (${TABLE_KEYS.flows.join(', ')})
);
CREATE TABLE IF NOT EXISTS ${s}.versions (${VERSION_EVENT_COLUMNS},
  -- From the ledger: lint findings are kept with the version, not carried by the event.
  lint_warning_count integer     NOT NULL,
  PRIMARY KEY (${TABLE_KEYS.versions.join(', ')})
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

import type { PoolClient } from 'pg';
import type { DiagramEvent } from '@flowledger/events';
import { diagramKey, type ProjectedChange } from '@flowledger/projection';
import { diagramRows } from './element-rows.js';

/**
 * Rows of changes, written into one projection version's `schema` in the caller's transaction:
 * each diagram's state (row, elements, flows) from its last change, moving only forward, and a
 * history row per change, inserted once. Lint warnings come from the ledger's table `ledger`: the
 * diagram row gets its version's findings, a history row their count.
 */
export async function writeChanges(
  client: PoolClient,
  schema: string,
  ledger: string,
  state: StateRows,
  changes: ProjectedChange[],
): Promise<void> {
  await writeState(client, schema, ledger, state);
  await writeHistory(client, schema, ledger, changes);
}

export type StateRows = ReturnType<typeof stateRows>;

/**
 * Each diagram's row, elements and flows, from its last change (its `diagram` is the state after
 * it), as the JSON the statement reads them from. Rows go to Postgres as one JSON text per table
 * (`json_to_recordset`): pg's encoding of a column array escapes element by element, which took
 * the rebuilding process ~2.5× as long as `JSON.stringify` for the same rows.
 */
export function stateRows(changes: ProjectedChange[]) {
  const last = new Map<string, ProjectedChange>();
  const created = new Map<string, ProjectedChange>();
  for (const change of changes) {
    const key = diagramKey(change.event.tenantId, change.event.diagramId);
    last.set(key, change);
    if (change.event.eventType === 'DIAGRAM_CREATED') created.set(key, change);
  }
  const diagrams: object[] = [];
  const elements: object[] = [];
  const flows: object[] = [];
  for (const [key, { event, diagram }] of last) {
    const rows = diagramRows(diagram);
    const first = created.get(key)?.event;
    const tenant_id = event.tenantId;
    const diagram_id = event.diagramId;
    diagrams.push({
      tenant_id,
      diagram_id,
      name: first?.diagramName ?? null,
      version: event.version,
      hash: event.resultHash,
      elements: rows.elements.length,
      flows: rows.flows.length,
      created_at: first?.occurredAt ?? null,
      created_by: first?.actorId ?? null,
      updated_at: event.occurredAt,
      updated_by: event.actorId,
    });
    for (const el of rows.elements) {
      elements.push({
        tenant_id,
        diagram_id,
        element_id: el.elementId,
        element_type: el.elementType,
        name: el.name,
        parent_id: el.parentId,
      });
    }
    for (const fl of rows.flows) {
      flows.push({
        tenant_id,
        diagram_id,
        flow_id: fl.flowId,
        flow_type: fl.flowType,
        source_id: fl.sourceId,
        target_id: fl.targetId,
        name: fl.name,
      });
    }
  }
  return { diagrams: JSON.stringify(diagrams), elements: JSON.stringify(elements), flows: JSON.stringify(flows) };
}

/**
 * The diagram rows, elements and flows, from each diagram's last change (its `diagram` is the
 * state after it), in one statement: one round trip instead of five. A diagram row moves only
 * forward; only for the diagrams whose row moved are elements and flows brought to the new
 * state — rows the state lacks deleted, new ones inserted, changed ones updated, the rest left
 * alone: only rows that differ from the stored ones reach the upsert, which would lock (and so
 * write) every row it meets. The deletes test `NOT IN` a hashed set: the planner, which cannot
 * count a set-returning function's rows, nested-looped a `NOT EXISTS` (6 ms for 158 elements).
 * The CTEs share one snapshot and run in no set order, so the deletes and the upserts touch
 * disjoint keys.
 */
export async function writeState(c: PoolClient, s: string, ledger: string, state: StateRows) {
  await c.query(
    `WITH moved AS (
       INSERT INTO ${s}.diagrams AS d (${DIAGRAM_COLUMNS})
       ${diagramRowsFrom('$1', ledger)}
       ON CONFLICT (tenant_id, diagram_id) DO UPDATE SET
         name = COALESCE(d.name, excluded.name), applied_version = excluded.applied_version,
         result_hash = excluded.result_hash, element_count = excluded.element_count, flow_count = excluded.flow_count,
         lint_warning_count = excluded.lint_warning_count, lint_warnings = excluded.lint_warnings,
         created_at = COALESCE(d.created_at, excluded.created_at), created_by = COALESCE(d.created_by, excluded.created_by),
         updated_at = excluded.updated_at, updated_by = excluded.updated_by
       WHERE d.applied_version < excluded.applied_version
       RETURNING tenant_id, diagram_id
     ), new_elements AS (
       SELECT n.* FROM json_to_recordset($2::json) AS n(${ELEMENT_ROW})
       JOIN moved m USING (tenant_id, diagram_id)
     ), new_flows AS (
       SELECT n.* FROM json_to_recordset($3::json) AS n(${FLOW_ROW})
       JOIN moved m USING (tenant_id, diagram_id)
     ), gone_elements AS (
       DELETE FROM ${s}.elements t USING moved m
       WHERE t.tenant_id = m.tenant_id AND t.diagram_id = m.diagram_id
         AND (t.tenant_id, t.diagram_id, t.element_id) NOT IN (SELECT tenant_id, diagram_id, element_id FROM new_elements)
     ), gone_flows AS (
       DELETE FROM ${s}.flows t USING moved m
       WHERE t.tenant_id = m.tenant_id AND t.diagram_id = m.diagram_id
         AND (t.tenant_id, t.diagram_id, t.flow_id) NOT IN (SELECT tenant_id, diagram_id, flow_id FROM new_flows)
     ), upserted_elements AS (
       INSERT INTO ${s}.elements (tenant_id, diagram_id, element_id, element_type, name, parent_id)
       SELECT n.* FROM new_elements n
       LEFT JOIN ${s}.elements o
         ON o.tenant_id = n.tenant_id AND o.diagram_id = n.diagram_id AND o.element_id = n.element_id
       WHERE o.element_id IS NULL
          OR (o.element_type, o.name, o.parent_id) IS DISTINCT FROM (n.element_type, n.name, n.parent_id)
       ON CONFLICT (tenant_id, diagram_id, element_id) DO UPDATE SET
         element_type = excluded.element_type, name = excluded.name, parent_id = excluded.parent_id
     ), upserted_flows AS (
       INSERT INTO ${s}.flows (tenant_id, diagram_id, flow_id, flow_type, source_id, target_id, name)
       SELECT n.* FROM new_flows n
       LEFT JOIN ${s}.flows o ON o.tenant_id = n.tenant_id AND o.diagram_id = n.diagram_id AND o.flow_id = n.flow_id
       WHERE o.flow_id IS NULL
          OR (o.flow_type, o.source_id, o.target_id, o.name) IS DISTINCT FROM (n.flow_type, n.source_id, n.target_id, n.name)
       ON CONFLICT (tenant_id, diagram_id, flow_id) DO UPDATE SET
         flow_type = excluded.flow_type, source_id = excluded.source_id, target_id = excluded.target_id,
         name = excluded.name
     )
     SELECT count(*) FROM moved`,
    [state.diagrams, state.elements, state.flows],
  );
}

/**
 * The state of diagrams that have no rows in `s` (a tenant build's tables, compared at its switch):
 * plain inserts in one statement, none of `writeState`'s comparing with stored rows — which took a
 * switch of 300 diagrams ~450 ms.
 */
export async function insertState(c: PoolClient, s: string, ledger: string, state: StateRows) {
  await c.query(
    `WITH diagrams AS (
       INSERT INTO ${s}.diagrams (${DIAGRAM_COLUMNS})
       ${diagramRowsFrom('$1', ledger)}
     ), elements AS (
       INSERT INTO ${s}.elements (tenant_id, diagram_id, element_id, element_type, name, parent_id)
       SELECT * FROM json_to_recordset($2::json) AS n(${ELEMENT_ROW})
     )
     INSERT INTO ${s}.flows (tenant_id, diagram_id, flow_id, flow_type, source_id, target_id, name)
     SELECT * FROM json_to_recordset($3::json) AS n(${FLOW_ROW})`,
    [state.diagrams, state.elements, state.flows],
  );
}

const DIAGRAM_COLUMNS = `tenant_id, diagram_id, name, applied_version, result_hash, element_count, flow_count,
         lint_warning_count, lint_warnings, created_at, created_by, updated_at, updated_by`;
const ELEMENT_ROW = 'tenant_id text, diagram_id text, element_id text, element_type text, name text, parent_id text';
const FLOW_ROW =
  'tenant_id text, diagram_id text, flow_id text, flow_type text, source_id text, target_id text, name text';

/** The diagram rows of `stateRows`' JSON (parameter `param`) in `DIAGRAM_COLUMNS` order, lint warnings from the ledger. */
function diagramRowsFrom(param: string, ledger: string): string {
  return `SELECT u.tenant_id, u.diagram_id, u.name, u.version, u.hash, u.elements, u.flows,
              COALESCE(le.lint_warning_count, 0), COALESCE(le.lint_warnings, '[]'::jsonb),
              u.created_at, u.created_by, u.updated_at, u.updated_by
       FROM json_to_recordset(${param}::json) AS u(tenant_id text, diagram_id text, name text, version bigint,
              hash text, elements int, flows int, created_at timestamptz, created_by text, updated_at timestamptz,
              updated_by text)
       LEFT JOIN LATERAL (SELECT lint_warning_count, lint_warnings FROM ${ledger} l
         WHERE l.tenant_id = u.tenant_id AND l.diagram_id = u.diagram_id AND l.version = u.version) le ON true`;
}

/**
 * One version row per change (inserted once), with its count of lint warnings, and the actor
 * activity counted from the rows that were new.
 */
export async function writeHistory(c: PoolClient, s: string, ledger: string, changes: ProjectedChange[]) {
  const rows = changes.map(({ event }) => versionRow(event));
  await c.query(
    `WITH inserted AS (
       INSERT INTO ${s}.versions (tenant_id, diagram_id, version, event_type, transaction_id, actor_id, actor_kind,
         run_id, occurred_at, operation_count, result_hash, lint_warning_count)
       SELECT u.tenant_id, u.diagram_id, u.version, u.event_type, u.transaction_id, u.actor_id, u.actor_kind,
              u.run_id, u.occurred_at, u.operation_count, u.result_hash, COALESCE(le.n, 0)
       FROM json_to_recordset($1::json)
            AS u(tenant_id text, diagram_id text, version bigint, event_type text, transaction_id text, actor_id text,
                 actor_kind text, run_id text, occurred_at timestamptz, operation_count int, result_hash text)
       LEFT JOIN LATERAL (SELECT lint_warning_count AS n FROM ${ledger} l
       WHERE l.tenant_id = u.tenant_id AND l.diagram_id = u.diagram_id AND l.version = u.version) le ON true
       ON CONFLICT DO NOTHING
       RETURNING tenant_id, actor_id, occurred_at, diagram_id
     )
     INSERT INTO ${s}.actor_activity AS a (tenant_id, actor_id, day, diagram_id, edits)
     SELECT tenant_id, actor_id, (occurred_at AT TIME ZONE 'UTC')::date, diagram_id, count(*)
     FROM inserted GROUP BY 1, 2, 3, 4
     ON CONFLICT (tenant_id, actor_id, day, diagram_id) DO UPDATE SET edits = a.edits + excluded.edits`,
    [JSON.stringify(rows)],
  );
}

/**
 * What a version row takes from its event, the columns in table order (the lint count comes from
 * the ledger): live writes send it as JSON, a rebuild stages it by COPY (staged-history.ts).
 */
export function versionRow(e: DiagramEvent) {
  return {
    tenant_id: e.tenantId,
    diagram_id: e.diagramId,
    version: e.version,
    event_type: e.eventType,
    transaction_id: e.transactionId,
    actor_id: e.actorId,
    actor_kind: e.actorKind,
    run_id: e.runId,
    occurred_at: e.occurredAt,
    operation_count: e.operations.length,
    result_hash: e.resultHash,
  };
}

export type VersionRow = ReturnType<typeof versionRow>;

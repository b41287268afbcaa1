import type { Pool } from 'pg';
import type { Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import { diagramRows } from './element-rows.js';

/**
 * One diagram's content in the Postgres read model, in a comparable form: what `verify` checks
 * the stored rows against. `expectedPostgresContent` derives it from the replayed diagram and its
 * events (pure); `readPostgresContent` reads it from one version's tables. Lint warnings come
 * from the ledger, not the events, and are left out.
 */
export interface PostgresContent {
  diagram: Record<string, string | number | null> | undefined;
  elements: Map<string, Record<string, string | null>>;
  flows: Map<string, Record<string, string | null>>;
  versions: Map<string, Record<string, string | number | null>>;
  activity: Map<string, number>;
}

export function expectedPostgresContent(diagram: Diagram, events: DiagramEvent[]): PostgresContent {
  const first = events[0]!;
  const last = events[events.length - 1]!;
  const rows = diagramRows(diagram);
  const activity = new Map<string, number>();
  for (const e of events) {
    const key = activityKey(e.actorId, e.occurredAt.toISOString().slice(0, 10));
    activity.set(key, (activity.get(key) ?? 0) + 1);
  }
  return {
    diagram: {
      name: first.eventType === 'DIAGRAM_CREATED' ? first.diagramName : null,
      applied_version: last.version,
      result_hash: last.resultHash,
      element_count: rows.elements.length,
      flow_count: rows.flows.length,
      created_at: first.occurredAt.toISOString(),
      created_by: first.actorId,
      updated_at: last.occurredAt.toISOString(),
      updated_by: last.actorId,
    },
    elements: new Map(
      rows.elements.map((e) => [e.elementId, { element_type: e.elementType, name: e.name, parent_id: e.parentId }]),
    ),
    flows: new Map(
      rows.flows.map((f) => [
        f.flowId,
        { flow_type: f.flowType, source_id: f.sourceId, target_id: f.targetId, name: f.name },
      ]),
    ),
    versions: new Map(
      events.map((e) => [
        String(e.version),
        {
          event_type: e.eventType,
          transaction_id: e.transactionId,
          actor_id: e.actorId,
          actor_kind: e.actorKind,
          run_id: e.runId,
          occurred_at: e.occurredAt.toISOString(),
          operation_count: e.operations.length,
          result_hash: e.resultHash,
        },
      ]),
    ),
    activity,
  };
}

/** The diagram's rows in the tables of `schema` (an `rm_postgres_v…` schema), read as their owner. */
export async function readPostgresContent(
  pool: Pool,
  schema: string,
  tenantId: string,
  diagramId: string,
): Promise<PostgresContent> {
  const args = [tenantId, diagramId];
  const q = async (sql: string) => (await pool.query(sql, args)).rows as Record<string, unknown>[];
  const scope = 'WHERE tenant_id = $1 AND diagram_id = $2';
  const [diagram] = await q(
    `SELECT name, applied_version::int, result_hash, element_count, flow_count, created_at, created_by, updated_at,
            updated_by FROM ${schema}.diagrams ${scope}`,
  );
  const keyed = <T>(rows: Record<string, unknown>[], key: string) =>
    new Map(rows.map(({ [key]: k, ...rest }) => [String(k), normalize(rest) as T]));
  return {
    diagram: diagram && (normalize(diagram) as PostgresContent['diagram']),
    elements: keyed(
      await q(`SELECT element_id, element_type, name, parent_id FROM ${schema}.elements ${scope}`),
      'element_id',
    ),
    flows: keyed(
      await q(`SELECT flow_id, flow_type, source_id, target_id, name FROM ${schema}.flows ${scope}`),
      'flow_id',
    ),
    versions: keyed(
      await q(
        `SELECT version, event_type, transaction_id, actor_id, actor_kind, run_id, occurred_at, operation_count,
                result_hash FROM ${schema}.versions ${scope}`,
      ),
      'version',
    ),
    activity: new Map(
      (await q(`SELECT actor_id, to_char(day, 'YYYY-MM-DD') AS day, edits FROM ${schema}.actor_activity ${scope}`)).map(
        (r) => [activityKey(String(r.actor_id), String(r.day)), Number(r.edits)],
      ),
    ),
  };
}

/** What differs, one line each (at most `limit`), naming the row and the column. */
export function diffPostgresContent(expected: PostgresContent, actual: PostgresContent, limit = 20): string[] {
  const out: string[] = [];
  if (!actual.diagram) out.push('diagrams: no row for the diagram');
  else diffFields('diagrams row', expected.diagram!, actual.diagram, out);
  diffKeyed('element', expected.elements, actual.elements, out);
  diffKeyed('flow', expected.flows, actual.flows, out);
  diffKeyed('version', expected.versions, actual.versions, out);
  const activity = (m: Map<string, number>) => new Map([...m].map(([k, edits]) => [k, { edits }]));
  diffKeyed('actor activity', activity(expected.activity), activity(actual.activity), out);
  return out.length > limit ? [...out.slice(0, limit), `… and ${out.length - limit} more differences`] : out;
}

function diffKeyed<T extends Record<string, unknown>>(
  what: string,
  expected: Map<string, T>,
  actual: Map<string, T>,
  out: string[],
): void {
  for (const [key, row] of expected) {
    const stored = actual.get(key);
    if (!stored) out.push(`${what} ${key}: missing`);
    else diffFields(`${what} ${key}`, row, stored, out);
  }
  for (const key of actual.keys()) if (!expected.has(key)) out.push(`${what} ${key}: stored, but not in the replay`);
}

function diffFields(what: string, expected: Record<string, unknown>, actual: Record<string, unknown>, out: string[]) {
  for (const [column, value] of Object.entries(expected)) {
    if (actual[column] !== value) {
      out.push(`${what}: ${column} is ${JSON.stringify(actual[column])}, the replay gives ${JSON.stringify(value)}`);
    }
  }
}

/** Timestamps as ISO strings, so rows compare with `===`. */
function normalize(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}

function activityKey(actorId: string, day: string): string {
  return `${actorId}@${day}`;
}

/** `verify`'s check of one diagram in projection version `version`: the stored rows against the replay. */
export async function verifyPostgresDiagram(
  pool: Pool,
  schema: string,
  tenantId: string,
  diagramId: string,
  replayed: { diagram: Diagram; events: DiagramEvent[] },
): Promise<string[]> {
  const actual = await readPostgresContent(pool, schema, tenantId, diagramId);
  return diffPostgresContent(expectedPostgresContent(replayed.diagram, replayed.events), actual);
}

import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ProjectedChange } from '@flowledger/projection';
import { versionRow, type VersionRow } from './postgres-rows.js';
import { VERSION_EVENT_COLUMNS } from './read-model-ddl.js';

/**
 * A rebuild's history (a version row per event) goes first into an unlogged, unindexed table of
 * its build, by COPY, and reaches the version tables in one statement per reading round or at the
 * switch (`moveStagedHistory`), where each row's lint count comes from the ledger by one join.
 * Inserted batch by batch with a lookup into the ledger per row, the 20,000 rows of a 4 KB
 * benchmark tenant cost Postgres ~0.8 s, and a tenant build then copied them once more.
 * Nothing reads the staging table but the move: unlogged is enough, as a build that dies (or a
 * Postgres that crashes, which empties unlogged tables) is dropped and begun anew.
 */
export const STAGED_HISTORY = 'versions_staged';

/** The event's fields a version row keeps (`versionRow`), in the staging table's column order. */
const STAGED_COLUMNS: (keyof VersionRow)[] = [
  'tenant_id',
  'diagram_id',
  'version',
  'event_type',
  'transaction_id',
  'actor_id',
  'actor_kind',
  'run_id',
  'occurred_at',
  'operation_count',
  'result_hash',
];

export function stagedHistoryDdl(s: string): string {
  return `CREATE UNLOGGED TABLE IF NOT EXISTS ${s}.${STAGED_HISTORY} (${VERSION_EVENT_COLUMNS})`;
}

/** The changes' version rows, appended to schema `s`'s staging table (the caller's transaction). */
export async function stageHistory(client: PoolClient, s: string, changes: ProjectedChange[]): Promise<void> {
  if (changes.length === 0) return;
  const copy = client.query(copyFrom(`COPY ${s}.${STAGED_HISTORY} (${STAGED_COLUMNS.join(', ')}) FROM STDIN`));
  const done = once(copy, 'finish');
  copy.end(copyText(changes));
  await done;
}

/** COPY's text format: a line per row, tab-separated, `\N` for null, backslash escapes. */
export function copyText(changes: ProjectedChange[]): string {
  let text = '';
  for (const { event } of changes) {
    const row = versionRow(event);
    text += `${STAGED_COLUMNS.map((column) => field(row[column])).join('\t')}\n`;
  }
  return text;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function field(value: VersionRow[keyof VersionRow]): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return value.toISOString();
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPED[c]!) : value;
}

/**
 * Moves the rows staged in schema `from` into the version table of schema `into`, which holds
 * none of them (a fresh generation), each with its lint count from the ledger table `ledger`, and
 * counts them into `into`'s actor activity; the staging table is left empty.
 */
export async function moveStagedHistory(client: PoolClient, from: string, into: string, ledger: string): Promise<void> {
  await client.query(
    `INSERT INTO ${into}.versions (${VERSION_COLUMNS}) SELECT ${VERSION_COLUMNS} FROM (${rebuiltRows(from, ledger)}) r`,
  );
  await client.query(
    `INSERT INTO ${into}.actor_activity AS a (tenant_id, actor_id, day, diagram_id, edits)
     ${activityOf(from)}
     ON CONFLICT (tenant_id, actor_id, day, diagram_id) DO UPDATE SET edits = a.edits + excluded.edits`,
  );
  await client.query(`TRUNCATE ${from}.${STAGED_HISTORY}`);
}

/**
 * Makes the history of `tenants` in schema `into` (serving tables) what schema `from` staged (a
 * tenant rebuild, in the switch's transaction). Only rows that differ are written: a version row
 * unlike its rebuilt one (or not rebuilt at all) is deleted, a rebuilt one not there inserted — a
 * healthy tenant costs two reads, not the delete and re-insert of every row (~0.3 s of a 20,000-
 * event tenant's switch, while the live writer waits). The activity, a row per actor, day and
 * diagram, is counted again.
 */
export async function replaceWithStagedHistory(
  client: PoolClient,
  from: string,
  into: string,
  ledger: string,
  tenants: string[],
): Promise<void> {
  const rebuilt = rebuiltRows(from, ledger, '$1');
  const same = (a: string, b: string) =>
    `${a}.tenant_id = ${b}.tenant_id AND ${a}.diagram_id = ${b}.diagram_id AND ${a}.version = ${b}.version`;
  const compared = VERSION_COLUMN_LIST.slice(3); // every column but the key (tenant, diagram, version)
  await client.query(
    `DELETE FROM ${into}.versions v WHERE v.tenant_id = ANY($1) AND NOT EXISTS (
       SELECT 1 FROM (${rebuilt}) r WHERE ${same('r', 'v')}
         AND (${compared.map((c) => `r.${c}`).join(', ')}) IS NOT DISTINCT FROM (${compared.map((c) => `v.${c}`).join(', ')}))`,
    [tenants],
  );
  await client.query(
    `INSERT INTO ${into}.versions (${VERSION_COLUMNS})
     SELECT ${VERSION_COLUMNS} FROM (${rebuilt}) r
     WHERE NOT EXISTS (SELECT 1 FROM ${into}.versions v WHERE ${same('v', 'r')})`,
    [tenants],
  );
  await client.query(`DELETE FROM ${into}.actor_activity WHERE tenant_id = ANY($1)`, [tenants]);
  await client.query(
    `INSERT INTO ${into}.actor_activity (tenant_id, actor_id, day, diagram_id, edits) ${activityOf(from)}`,
  );
}

const VERSION_COLUMN_LIST = [...STAGED_COLUMNS, 'lint_warning_count'];
const VERSION_COLUMNS = VERSION_COLUMN_LIST.join(', ');

/**
 * The staged rows as version rows: each with its lint count from the ledger. `tenants`, a
 * parameter holding the tenants staged, narrows the ledger's rows joined: the planner then reads
 * only theirs.
 */
function rebuiltRows(from: string, ledger: string, tenants?: string): string {
  return `SELECT ${STAGED_COLUMNS.map((c) => `s.${c}`).join(', ')}, COALESCE(l.lint_warning_count, 0) AS lint_warning_count
     FROM ${from}.${STAGED_HISTORY} s LEFT JOIN ${ledger} l
       ON l.tenant_id = s.tenant_id AND l.diagram_id = s.diagram_id AND l.version = s.version
       ${tenants ? `AND l.tenant_id = ANY(${tenants})` : ''}`;
}

/** The actor activity the staged rows count. */
function activityOf(from: string): string {
  return `SELECT tenant_id, actor_id, (occurred_at AT TIME ZONE 'UTC')::date, diagram_id, count(*)
     FROM ${from}.${STAGED_HISTORY} GROUP BY 1, 2, 3, 4`;
}

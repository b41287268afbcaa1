import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ProjectedChange } from '@flowledger/projection';
import { versionRow, type VersionRow } from './postgres-rows.js';
import { TABLE_KEYS, VERSION_EVENT_COLUMNS } from './read-model-ddl.js';
import { replaceTenantRows } from './tenant-replace.js';

/**
 * A rebuild's history (a version row per event) goes first into an unlogged, unindexed table of
 * its build, by COPY, and gets each row's lint count from the ledger by one join: a full build's
 * rows then reach its version table in one statement per reading round and at the switch
 * (`moveStagedHistory`); a tenant build's are joined batch by batch into a table of rebuilt rows
 * (`joinStagedHistory`) that its switch compares with the serving ones (`replaceWithRebuiltHistory`).
 * Inserted batch by batch with a lookup into the ledger per row, the 20,000 rows of a 4 KB
 * benchmark tenant cost Postgres ~0.8 s. Nothing reads these tables but the rebuild: unlogged is
 * enough, as a build that dies (or a Postgres that crashes, which empties unlogged tables) is
 * dropped and begun anew.
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

/**
 * A tenant build's staged rows with their lint counts, until the switch compares them
 * (`joinStagedHistory`): the columns of the version table, in its order.
 */
export const REBUILT_HISTORY = 'versions_rebuilt';

/** The staging table of schema `s`; with `rebuilt`, also the table of rebuilt rows (a tenant build). */
export function stagedHistoryDdl(s: string, rebuilt = false): string {
  const staged = `CREATE UNLOGGED TABLE IF NOT EXISTS ${s}.${STAGED_HISTORY} (${VERSION_EVENT_COLUMNS})`;
  if (!rebuilt) return staged;
  return `${staged};
CREATE UNLOGGED TABLE IF NOT EXISTS ${s}.${REBUILT_HISTORY} (${VERSION_EVENT_COLUMNS}, lint_warning_count integer NOT NULL)`;
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
    // A plain loop, not map and join: two arrays less per row, 20,000 rows a benchmark tenant.
    for (let i = 0; i < STAGED_COLUMNS.length; i++) text += (i === 0 ? '' : '\t') + field(row[STAGED_COLUMNS[i]!]);
    text += '\n';
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
     ${activityOf(`${from}.${STAGED_HISTORY}`)}
     ON CONFLICT (tenant_id, actor_id, day, diagram_id) DO UPDATE SET edits = a.edits + excluded.edits`,
  );
  await client.query(`TRUNCATE ${from}.${STAGED_HISTORY}`);
}

/**
 * A tenant build's staged rows, each with its lint count from the ledger, appended to schema
 * `s`'s table of rebuilt rows (`REBUILT_HISTORY`); the staging table is left empty. Run with
 * each batch, while the next one is replayed, so that the switch compares finished rows and joins
 * nothing under the freeze.
 */
export async function joinStagedHistory(client: PoolClient, s: string, ledger: string): Promise<void> {
  await client.query(
    `INSERT INTO ${s}.${REBUILT_HISTORY} (${VERSION_COLUMNS}) SELECT ${VERSION_COLUMNS} FROM (${rebuiltRows(s, ledger)}) r`,
  );
  await client.query(`TRUNCATE ${s}.${STAGED_HISTORY}`);
}

/**
 * Makes the history of `tenants` in schema `into` (serving tables) the rows schema `from` rebuilt
 * (`joinStagedHistory`; a tenant rebuild, in the switch's transaction), writing only the rows that
 * differ (`replaceTenantRows`). Two anti-joins, each also joining the ledger, took ~2.3 s for a
 * 100,000-event tenant while the live writer waited. The activity, a row per actor, day and
 * diagram, is counted again.
 */
export async function replaceWithRebuiltHistory(
  client: PoolClient,
  from: string,
  into: string,
  tenants: string[],
): Promise<void> {
  const versions = { serving: `${into}.versions`, rebuilt: `${from}.${REBUILT_HISTORY}`, key: TABLE_KEYS.versions };
  await replaceTenantRows(client, versions, tenants);
  await client.query(`DELETE FROM ${into}.actor_activity WHERE tenant_id = ANY($1)`, [tenants]);
  await client.query(
    `INSERT INTO ${into}.actor_activity (tenant_id, actor_id, day, diagram_id, edits)
     ${activityOf(`${from}.${REBUILT_HISTORY}`)}`,
  );
}

const VERSION_COLUMNS = [...STAGED_COLUMNS, 'lint_warning_count'].join(', ');

/**
 * The staged rows as version rows: each with its lint count from the ledger, read from the
 * ledger's key, which includes it (ledger migration 004), without fetching the wide row.
 */
function rebuiltRows(from: string, ledger: string): string {
  return `SELECT ${STAGED_COLUMNS.map((c) => `s.${c}`).join(', ')}, COALESCE(l.lint_warning_count, 0) AS lint_warning_count
     FROM ${from}.${STAGED_HISTORY} s LEFT JOIN ${ledger} l
       ON l.tenant_id = s.tenant_id AND l.diagram_id = s.diagram_id AND l.version = s.version`;
}

/** The actor activity the rows of `table` count. */
function activityOf(table: string): string {
  return `SELECT tenant_id, actor_id, (occurred_at AT TIME ZONE 'UTC')::date, diagram_id, count(*)
     FROM ${table} GROUP BY 1, 2, 3, 4`;
}

import type { DiagramEvent } from '@flowledger/events';
import {
  EVENT_COLUMNS,
  entryFromRow,
  insertParams,
  type EventRow,
  type LedgerEntry,
  type LintWarning,
} from './ledger-entry.js';
import { LedgerError, toLedgerError } from './ledger-error.js';

/** Anything that runs a query: the pool, or a client that holds a lock. */
export interface Queryable {
  query<R extends object = object>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface Appended {
  entry: LedgerEntry;
  /** Events of the diagram before this one that are committed but not yet on the topic. */
  earlierUnpublished: number;
}

/**
 * Bumps the diagram's version and inserts the event in one statement — one round trip, one
 * commit. The conditional UPDATE is the version check: it takes the diagram's row lock, and a
 * concurrent writer that committed first leaves it matching no row (Postgres re-reads the row
 * under the lock). With `$20`, `publish_attempted_at` is set at once: the writer holds the
 * diagram's publish lock and sends the event right after the commit, so if it dies in between,
 * recovery must look at the topic first. With `lockFirst`, the statement also takes that
 * session-level publish lock (`$21`, `$22`): in the UPDATE's condition, so before the row lock,
 * saving the round trip of a lock statement of its own.
 */
function appendSql(lockFirst: boolean): string {
  const lock = lockFirst ? `locked AS MATERIALIZED (SELECT pg_advisory_lock($21, hashtext($22)) AS held), ` : '';
  const afterLock = lockFirst ? ' AND EXISTS (SELECT 1 FROM locked)' : '';
  return `WITH ${lock}bumped AS (
    UPDATE diagrams SET current_version = $3, updated_at = $13
    WHERE tenant_id = $1 AND diagram_id = $2 AND current_version = $4${afterLock}
    RETURNING 1
  ), inserted AS (
    INSERT INTO ledger_events (tenant_id, diagram_id, version, base_version, event_type, event_schema_version,
      diagram_name, transaction_id, actor_id, actor_kind, run_id, request_id, occurred_at, operations, id_map,
      result_hash, result_xml_gzip, lint_warnings, traceparent, publish_attempted_at)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, CASE WHEN $20::boolean THEN now() END FROM bumped
    RETURNING ${EVENT_COLUMNS}
  )
  SELECT inserted.*, (SELECT count(*) FROM ledger_events
    WHERE tenant_id = $1 AND diagram_id = $2 AND published_at IS NULL)::int AS earlier_unpublished
  FROM inserted`;
}
const APPEND_SQL = appendSql(false);
const LOCK_AND_APPEND_SQL = appendSql(true);

/**
 * Appends `event` (validated by the caller) as the diagram's next version. Fails with
 * DUPLICATE_TRANSACTION (carrying the first result) when the tenant used the transaction id
 * before, whatever the base version; VERSION_MISMATCH (carrying the current version) when the
 * base version is not current; DIAGRAM_NOT_FOUND.
 */
export async function appendEvent(
  db: Queryable,
  event: DiagramEvent,
  resultXmlGzip: Buffer,
  options: {
    lintWarnings: LintWarning[];
    traceparent: string | null;
    sendingNow: boolean;
    /** A session-level advisory lock (two keys, the second hashed) the statement takes first. */
    lockFirst?: [number, string];
  },
): Promise<Appended> {
  let rows: Array<EventRow & { earlier_unpublished: number }>;
  const params = [
    ...insertParams(event, resultXmlGzip, options.lintWarnings, options.traceparent),
    options.sendingNow,
    ...(options.lockFirst ?? []),
  ];
  try {
    ({ rows } = await db.query<EventRow & { earlier_unpublished: number }>(
      options.lockFirst ? LOCK_AND_APPEND_SQL : APPEND_SQL,
      params,
    ));
  } catch (err) {
    if (isDuplicateTransaction(err)) throw await whyNotAppended(db, event);
    throw toLedgerError(err, `ledger: ${event.tenantId}/${event.diagramId} v${event.version}`);
  }
  const row = rows[0];
  if (!row) throw await whyNotAppended(db, event);
  return { entry: entryFromRow(row), earlierUnpublished: row.earlier_unpublished };
}

/** A unique violation on the tenant's transaction ids. */
export function isDuplicateTransaction(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && /transaction/.test(String(e.constraint));
}

export async function findByTransaction(
  db: Queryable,
  tenantId: string,
  transactionId: string,
): Promise<LedgerEntry | undefined> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE tenant_id = $1 AND transaction_id = $2`,
    [tenantId, transactionId],
  );
  return rows[0] ? entryFromRow(rows[0]) : undefined;
}

export function duplicate(existing: LedgerEntry): LedgerError {
  return new LedgerError(
    'DUPLICATE_TRANSACTION',
    `transaction ${existing.event.transactionId} already produced version ${existing.event.version}`,
    { existing },
  );
}

/** Only on the refusal path: a repeated transaction wins over a stale base version. */
async function whyNotAppended(db: Queryable, event: DiagramEvent): Promise<LedgerError> {
  try {
    const existing = await findByTransaction(db, event.tenantId, event.transactionId);
    if (existing) return duplicate(existing);
    const { rows } = await db.query<{ current_version: string }>(
      'SELECT current_version FROM diagrams WHERE tenant_id = $1 AND diagram_id = $2',
      [event.tenantId, event.diagramId],
    );
    if (!rows[0]) return new LedgerError('DIAGRAM_NOT_FOUND', `no diagram ${event.tenantId}/${event.diagramId}`);
    const current = Number(rows[0].current_version);
    return new LedgerError(
      'VERSION_MISMATCH',
      `base version ${event.baseVersion} is not the current version ${current}`,
      {
        currentVersion: current,
      },
    );
  } catch (err) {
    return toLedgerError(err, `ledger: ${event.tenantId}/${event.diagramId} v${event.version}`);
  }
}

import { join } from 'node:path';
import type pg from 'pg';
import { LEDGER_FILES, REVIEW_FILES, type BackupManifest } from '../backup/backup-format.js';
import { readNdjsonGzip } from '../backup/ndjson-gzip.js';
import type { Progress } from '../progress-bars.js';
import { auditSeqShift, restoredAuditRow, type AuditRowJson } from './audit-rows.js';

export interface RestoredRows {
  diagrams: number;
  events: number;
  /** Ledger rows whose record was not in the backup's topic copy: restored unpublished, for the relay. */
  unpublished: number;
  reviews: number;
  auditEntries: number;
  /** Audit entries published but not in the backup's audit topic copy: restored unpublished, for the relay. */
  auditUnpublished: number;
  /** What was added to every restored audit seq (0: each kept its own). */
  auditSeqShift: string;
}

/**
 * The tenant's rows, in one transaction, with `json_populate_record` so every column comes back
 * as it was (a generated one is computed again): the ledger (Kafka positions pointed at the
 * restored records), then the reviews and their audit entries (format 2).
 */
export async function restoreRows(
  dir: string,
  manifest: BackupManifest,
  topics: { positions: ReadonlyMap<string, bigint>; auditEntryIds: ReadonlySet<string> },
  { pool, progress }: { pool: pg.Pool; progress: Progress },
): Promise<RestoredRows> {
  const client = await pool.connect();
  const out: RestoredRows = {
    diagrams: 0,
    events: 0,
    unpublished: 0,
    reviews: 0,
    auditEntries: 0,
    auditUnpublished: 0,
    auditSeqShift: '0',
  };
  const columns = new Map<string, string>();
  const insert = async (table: string, row: Record<string, unknown>) => {
    let list = columns.get(table);
    if (list === undefined) columns.set(table, (list = await writableColumns(client, table)));
    await client.query(`INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_record(NULL::${table}, $1)`, [
      row,
    ]);
  };
  try {
    await client.query('BEGIN');
    const reviews = manifest.reviews;
    const total =
      manifest.ledger.diagrams + manifest.ledger.events + (reviews ? reviews.reviews + reviews.auditEntries : 0);
    const step = progress.step('restore rows', total, 'rows');
    for await (const row of readNdjsonGzip<Record<string, unknown>>(join(dir, LEDGER_FILES.diagrams))) {
      await insert('diagrams', row);
      out.diagrams++;
      step.increment();
    }
    for await (const row of readNdjsonGzip<Record<string, unknown>>(join(dir, LEDGER_FILES.ledger_events))) {
      const moved = topics.positions.get(`${String(row.kafka_partition)}:${String(row.kafka_offset)}`);
      if (row.kafka_offset !== null && moved === undefined) {
        // Its record was not in the topic copy (written after it): the relay publishes it again.
        Object.assign(row, {
          published_at: null,
          kafka_partition: null,
          kafka_offset: null,
          publish_attempted_at: null,
        });
        out.unpublished++;
      } else if (moved !== undefined) {
        row.kafka_offset = moved.toString();
      }
      await insert('ledger_events', row);
      out.events++;
      step.increment();
    }
    if (reviews && reviews.reviews + reviews.auditEntries > 0) {
      for await (const row of readNdjsonGzip<Record<string, unknown>>(join(dir, REVIEW_FILES.proposal_reviews))) {
        await insert('proposal_reviews', row);
        out.reviews++;
        step.increment();
      }
      // Writers of other tenants wait until the commit, so no seq handed out meanwhile meets ours.
      await client.query('LOCK TABLE audit_entries IN EXCLUSIVE MODE');
      const shift = await planSeqShift(client, join(dir, REVIEW_FILES.audit_entries));
      let highest = 0n;
      for await (const backedUp of readNdjsonGzip<AuditRowJson>(join(dir, REVIEW_FILES.audit_entries))) {
        const { row, republished } = restoredAuditRow(backedUp, topics.auditEntryIds, shift);
        await insert('audit_entries', row);
        if (BigInt(row.seq) > highest) highest = BigInt(row.seq);
        out.auditEntries++;
        if (republished) out.auditUnpublished++;
        step.increment();
      }
      // The next entry of any tenant gets a seq after the restored ones.
      await client.query(
        `SELECT setval(s::regclass, GREATEST($1::bigint, COALESCE(pg_sequence_last_value(s::regclass), 1)))
           FROM pg_get_serial_sequence('audit_entries', 'seq') AS s`,
        [highest.toString()],
      );
      out.auditSeqShift = shift.toString();
    }
    await client.query('COMMIT');
    step.done();
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function planSeqShift(client: pg.PoolClient, file: string): Promise<bigint> {
  const seqs: string[] = [];
  for await (const row of readNdjsonGzip<AuditRowJson>(file)) seqs.push(String(row.seq));
  if (seqs.length === 0) return 0n;
  const { rows } = await client.query<{ taken: string; max: string | null }>(
    `SELECT (SELECT count(*) FROM audit_entries WHERE seq = ANY($1::bigint[])) AS taken,
            (SELECT max(seq) FROM audit_entries) AS max`,
    [seqs],
  );
  const min = seqs.reduce((a, s) => (BigInt(s) < a ? BigInt(s) : a), BigInt(seqs[0]!));
  return auditSeqShift({ min, taken: Number(rows[0]!.taken) }, BigInt(rows[0]!.max ?? 0));
}

/** The columns of `table` an INSERT may set, in order, as a list for SQL: all but the generated ones. */
async function writableColumns(client: pg.PoolClient, table: string): Promise<string> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT quote_ident(attname) AS name FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      ORDER BY attnum`,
    [table],
  );
  return rows.map((r) => r.name).join(', ');
}

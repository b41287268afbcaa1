import { join } from 'node:path';
import type pg from 'pg';
import type { Progress } from '../progress-bars.js';
import { writeNdjsonGzip } from './ndjson-gzip.js';

/** One table whose rows of a tenant go into one file of the backup. */
export interface TableCopy {
  table: string;
  file: string;
  orderBy: string;
  /** The command service creates it at start: a stack that never ran one has no such table (no rows). */
  optional?: boolean;
}

const FETCH = 500;

/**
 * The tenant's rows of every table, as `row_to_json` renders them: every column exact (µs
 * timestamps, bytea as \x hex, jsonb as JSON, arrays as JSON arrays). One REPEATABLE READ
 * snapshot for all of them, so every event has its diagram row, every audit entry its review,
 * and every APPLIED entry its ledger event. Returns the row count per table.
 */
export async function copyTables(
  tenant: string,
  outDir: string,
  tables: TableCopy[],
  { pool, progress }: { pool: pg.Pool; progress: Progress },
): Promise<Record<string, number>> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const counts: Record<string, number> = {};
    for (const { table, file, orderBy, optional } of tables) {
      const exists = (await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [table])).rows[0]!.t;
      if (exists === null && !optional) throw new Error(`backup: table ${table} does not exist`);
      const writer = writeNdjsonGzip(join(outDir, file));
      if (exists !== null) {
        const { rows: total } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`,
          [tenant],
        );
        const step = progress.step(`backup ${table}`, Number(total[0]!.n), 'rows');
        await client.query(
          `DECLARE rows_of_tenant NO SCROLL CURSOR FOR
             SELECT row_to_json(t) AS row FROM ${table} t WHERE tenant_id = $1 ORDER BY ${orderBy}`,
          [tenant],
        );
        for (;;) {
          const { rows } = await client.query<{ row: Record<string, unknown> }>(`FETCH ${FETCH} FROM rows_of_tenant`);
          for (const r of rows) await writer.write(r.row);
          step.increment(rows.length);
          if (rows.length < FETCH) break;
        }
        await client.query('CLOSE rows_of_tenant');
        step.done();
      }
      counts[table] = await writer.close();
    }
    await client.query('COMMIT');
    return counts;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

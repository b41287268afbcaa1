import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { MIGRATIONS_LOCK_CLASS } from '../advisory-locks.js';

/** A folder of `<number>_<name>.sql` migrations and the table that records which ran. */
export interface MigrationSet {
  /** The folder (a file: URL, e.g. `new URL('../migrations/', import.meta.url)`). */
  dir: URL;
  /** Records the applied file names, e.g. `ledger_migrations`. */
  table: string;
  /** Second key of the advisory lock the set's runs take turns under (unique per set). */
  lockKey: number;
  /** Names the set in errors, e.g. "ledger". */
  label: string;
}

/**
 * Applies the set's migrations not applied yet, in name order, each in its own transaction,
 * and records them in `set.table`. Safe when several processes start at once: they take turns
 * under an advisory lock, and the later ones find nothing left to do. Returns the names it
 * applied. The ledger's, the snapshotter's and the command service's reviews use it.
 */
export async function runMigrations(pool: Pool, set: MigrationSet): Promise<string[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(set.table)) throw new Error(`not a plain table name: ${set.table}`);
  const files = readdirSync(set.dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [MIGRATIONS_LOCK_CLASS, set.lockKey]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${set.table} (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = new Set(
        (await client.query<{ name: string }>(`SELECT name FROM ${set.table}`)).rows.map((r) => r.name),
      );
      const applied: string[] = [];
      for (const file of files.filter((f) => !done.has(f))) {
        await client.query('BEGIN');
        try {
          await client.query(readFileSync(new URL(file, set.dir), 'utf8'));
          await client.query(`INSERT INTO ${set.table} (name) VALUES ($1)`, [file]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`${set.label} migration ${file} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(file);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [MIGRATIONS_LOCK_CLASS, set.lockKey]);
    }
  } finally {
    client.release();
  }
}

/** The ledger's own tables (`libs/ledger/migrations`). */
export function migrateLedger(pool: Pool): Promise<string[]> {
  return runMigrations(pool, {
    dir: new URL('../../migrations/', import.meta.url),
    table: 'ledger_migrations',
    lockKey: 0,
    label: 'ledger',
  });
}

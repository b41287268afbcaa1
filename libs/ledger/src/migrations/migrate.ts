import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { MIGRATIONS_LOCK_CLASS } from '../advisory-locks.js';

const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url);

/**
 * Applies the ledger's `migrations/*.sql` not applied yet, in name order, each in its own
 * transaction, and records them in `ledger_migrations`. Safe when several processes start at
 * once: they take turns under an advisory lock, and the later ones find nothing left to do.
 * Returns the names it applied.
 */
export async function migrateLedger(pool: Pool): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, 0)', [MIGRATIONS_LOCK_CLASS]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS ledger_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set(
        (await client.query<{ name: string }>('SELECT name FROM ledger_migrations')).rows.map((r) => r.name),
      );
      const applied: string[] = [];
      for (const file of files.filter((f) => !done.has(f))) {
        await client.query('BEGIN');
        try {
          await client.query(readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'));
          await client.query('INSERT INTO ledger_migrations (name) VALUES ($1)', [file]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`ledger migration ${file} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(file);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, 0)', [MIGRATIONS_LOCK_CLASS]);
    }
  } finally {
    client.release();
  }
}

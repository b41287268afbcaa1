import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
/** Advisory-lock key of these migrations ('revw' in ASCII); the ledger and snapshotter use their own. */
const LOCK_KEY = 0x72657677;

/**
 * Applies `migrations/*.sql` not applied yet, in name order, each in a transaction, recorded in
 * `review_migrations` — the ledger's pattern for the command service's own tables. Processes
 * starting together take turns under an advisory lock. Returns the names it applied.
 */
export async function migrateReviews(pool: Pool): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS review_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set(
        (await client.query<{ name: string }>('SELECT name FROM review_migrations')).rows.map((r) => r.name),
      );
      const applied: string[] = [];
      for (const file of files.filter((f) => !done.has(f))) {
        await client.query('BEGIN');
        try {
          await client.query(readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'));
          await client.query('INSERT INTO review_migrations (name) VALUES ($1)', [file]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`review migration ${file} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(file);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

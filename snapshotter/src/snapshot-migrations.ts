import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';

const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url);
/** Advisory-lock key of the snapshotter's migrations ('snap' in ASCII); the ledger uses its own. */
const LOCK_KEY = 0x736e6170;

/**
 * Applies `migrations/*.sql` not applied yet, in name order, each in a transaction, recorded in
 * `snapshotter_migrations`; processes starting together take turns under an advisory lock.
 */
export async function migrateSnapshots(pool: Pool): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS snapshotter_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set(
        (await client.query<{ name: string }>('SELECT name FROM snapshotter_migrations')).rows.map((r) => r.name),
      );
      const applied: string[] = [];
      for (const file of files.filter((f) => !done.has(f))) {
        await client.query('BEGIN');
        try {
          await client.query(readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'));
          await client.query('INSERT INTO snapshotter_migrations (name) VALUES ($1)', [file]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`snapshotter migration ${file} failed: ${(err as Error).message}`, { cause: err });
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

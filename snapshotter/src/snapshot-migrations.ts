import type { Pool } from 'pg';
import { runMigrations } from '@flowledger/ledger';

/** The snapshotter's tables (`snapshotter/migrations`), recorded in `snapshotter_migrations`. */
export function migrateSnapshots(pool: Pool): Promise<string[]> {
  return runMigrations(pool, {
    dir: new URL('../migrations/', import.meta.url),
    table: 'snapshotter_migrations',
    // 'snap' in ASCII: the second key of the lock its starts take turns under.
    lockKey: 0x736e6170,
    label: 'snapshotter',
  });
}

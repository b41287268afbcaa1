import type { Pool } from 'pg';
import { runMigrations } from '@flowledger/ledger';

/** The command service's review and audit tables (`./migrations`), recorded in `review_migrations`. */
export function migrateReviews(pool: Pool): Promise<string[]> {
  return runMigrations(pool, {
    dir: new URL('./migrations/', import.meta.url),
    table: 'review_migrations',
    // 'revw' in ASCII: the second key of the lock its starts take turns under.
    lockKey: 0x72657677,
    label: 'review',
  });
}

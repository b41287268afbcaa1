import type { Pool, PoolClient } from 'pg';
import { checkOut } from './pool-client.js';

/**
 * Runs `work` in one transaction on one pooled connection: committed, or rolled back on any
 * error. A connection whose ROLLBACK failed is discarded instead of going back to the pool.
 * For the ledger (which maps the errors on top, `ledger.ts`) and the stores beside it (snapshots,
 * reviews, read models).
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await checkOut(pool);
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    release(broken);
  }
}

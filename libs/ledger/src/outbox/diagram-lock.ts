import type { Pool, PoolClient } from 'pg';
import { PUBLISH_LOCK_CLASS } from '../advisory-locks.js';
import { toLedgerError } from '../ledger-error.js';
import { checkOut } from '../pool-client.js';

/** The lock `work` holds: its key, and whether `work` let go of it itself (in its last statement). */
export interface HeldLock {
  key: [number, string];
  releasedByWork: boolean;
}

/**
 * Runs `work` holding the diagram's publish lock: a session-level advisory lock, so only one
 * process at a time sends a diagram's events and they reach the topic in version order. A
 * process that dies loses its session, and with it the lock. With `wait: false`, returns
 * `undefined` at once when another process holds it.
 */
export async function withDiagramLock<T>(
  pool: Pool,
  key: { tenantId: string; diagramId: string },
  options: {
    wait: boolean;
    /** `work`'s first statement takes the lock itself (saving a round trip); it is let go of all the same. */
    takenByWork?: boolean;
  },
  work: (client: PoolClient, lock: HeldLock) => Promise<T>,
): Promise<T | undefined> {
  const { client, release } = await checkOut(pool).catch((err: unknown) => {
    throw toLedgerError(err, 'ledger: cannot connect');
  });
  const lockKey: [number, string] = [PUBLISH_LOCK_CLASS, `${key.tenantId}/${key.diagramId}`];
  const lock: HeldLock = { key: lockKey, releasedByWork: false };
  let broken = false;
  try {
    if (options.takenByWork) {
      // Taken by work's first statement.
    } else if (options.wait) {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', lockKey);
    } else {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        lockKey,
      );
      if (!rows[0]?.locked) return undefined;
    }
    try {
      return await work(client, lock);
    } finally {
      if (!lock.releasedByWork) {
        // A refused append may not have got as far as taking it: unlock only what is held (no warning).
        const unlock = options.takenByWork
          ? `SELECT pg_advisory_unlock($1, hashtext($2)) FROM pg_locks WHERE locktype = 'advisory'
               AND pid = pg_backend_pid() AND classid = $1::int::oid AND objid = hashtext($2)::oid AND objsubid = 2`
          : 'SELECT pg_advisory_unlock($1, hashtext($2))';
        await client.query(unlock, lockKey).catch(() => {
          broken = true; // closing the session releases the lock
        });
      }
    }
  } catch (err) {
    if (!broken && (err as { code?: string }).code === undefined) broken = true;
    throw err;
  } finally {
    release(broken);
  }
}

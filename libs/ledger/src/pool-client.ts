import type { Pool, PoolClient } from 'pg';

/** A pooled connection taken out for a while, and how to give it back. */
export interface CheckedOut {
  client: PoolClient;
  /** Gives it back; discarded instead when `broken` or when its session was lost meanwhile. */
  release(broken?: boolean): void;
}

/**
 * Takes a connection out of the pool for work that holds it across other awaits (a Kafka send,
 * a lock held). While it is out, pg reports a lost session (Postgres restarting, an admin
 * shutdown) as an 'error' event on the client, and unhandled that ends the process. Here it only
 * marks the connection lost: the next query on it fails as any failed query does, and `release`
 * discards it.
 */
export async function checkOut(pool: Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let lost = false;
  const onError = () => {
    lost = true;
  };
  client.on('error', onError);
  return {
    client,
    release(broken = false) {
      client.off('error', onError);
      client.release(broken || lost);
    },
  };
}

import pg from 'pg';
import { logger } from '../observability/logger.js';

/**
 * Postgres LISTEN/NOTIFY as a fan-out between command-service processes (the change feed's
 * wake-ups, presence heartbeats): one dedicated connection LISTENs, and reconnects when
 * Postgres restarts.
 * (Notifications sent while it is reconnecting are lost: use it for state that is re-sent,
 * such as heartbeats, or as a wake-up with a polling fallback.)
 */
export function listenToChannel(
  databaseUrl: string,
  channel: string,
  onPayload: (payload: string) => void,
): { stop(): Promise<void> } {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  const retry = () => setTimeout(() => void connect().catch(() => undefined), 1_000);
  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload) onPayload(n.payload);
    });
    c.on('error', () => {
      client = undefined;
      retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      client = c;
    } catch (error) {
      logger.warn({ err: error, channel }, 'cannot listen on the Postgres channel yet; retrying');
      await c.end().catch(() => undefined);
      retry();
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      await client?.end().catch(() => undefined);
    },
  };
}

/** Sends `payload` (at most 8000 bytes, Postgres's limit) to every listener of `channel`, this process's included. */
export async function notifyChannel(pool: pg.Pool, channel: string, payload: string): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

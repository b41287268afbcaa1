import pg from 'pg';

/** Where a listener reports that it cannot listen (yet); it keeps retrying. */
export type ChannelErrorReporter = (error: unknown, channel: string) => void;

/**
 * Postgres LISTEN/NOTIFY as a fan-out between processes (the ledger's change notices, the command
 * service's presence heartbeats): one dedicated connection LISTENs, and reconnects when Postgres
 * restarts. Notifications sent while it is reconnecting are lost: use it for state that is
 * re-sent, such as heartbeats, or as a wake-up with a polling fallback.
 */
export function listenToChannel(
  databaseUrl: string,
  channel: string,
  onPayload: (payload: string) => void,
  onError?: ChannelErrorReporter,
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
      if (stopped) await c.end();
    } catch (error) {
      onError?.(error, channel);
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

import pg from 'pg';

/** What a channel's listener is told. */
export interface ChannelListener {
  onPayload(payload: string): void;
  /** LISTEN is in place: at first, and again after each reconnect (what was sent meanwhile is lost). */
  onListening?(): void;
  /** It cannot listen (yet); it keeps retrying. */
  onError?(error: unknown, channel: string): void;
}

/**
 * Postgres LISTEN/NOTIFY as a fan-out between processes (the ledger's change notices, the command
 * service's presence heartbeats): one dedicated connection LISTENs, and reconnects when Postgres
 * restarts. Notifications sent while it is reconnecting are lost: use it for state that is
 * re-sent, such as heartbeats, or as a wake-up with a polling fallback.
 */
export function listenToChannel(
  databaseUrl: string,
  channel: string,
  listener: ChannelListener,
): { stop(): Promise<void> } {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  const retry = () => setTimeout(() => void connect().catch(() => undefined), 1_000);
  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload) listener.onPayload(n.payload);
    });
    // A lost connection can report itself more than once ('error', then 'end'): reconnect once.
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (client === c) client = undefined;
      void c.end().catch(() => undefined);
      if (!stopped) retry();
    };
    c.on('error', onLost);
    c.on('end', onLost);
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      client = c;
      if (stopped) await c.end();
      else listener.onListening?.();
    } catch (error) {
      listener.onError?.(error, channel);
      onLost();
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

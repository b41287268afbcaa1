import type pg from 'pg';
import { listenToChannel, notifyChannel, type ChannelErrorReporter } from './postgres-channel.js';

const CHANNEL = 'flowledger_ledger_changes';

/**
 * Tells every listener that a diagram has a new version in the ledger (sent by the command
 * service once the event is committed, and on Kafka too unless the publish failed). A hint, not
 * a record: a listener reads the ledger or the topic for what changed, and a notice can be lost.
 */
export async function announceLedgerChange(pool: pg.Pool, tenantId: string, diagramId: string): Promise<void> {
  await notifyChannel(pool, CHANNEL, `${tenantId}/${diagramId}`);
}

/** Calls `onChange` for every ledger change announced by any process, until stopped. */
export function listenForLedgerChanges(
  databaseUrl: string,
  onChange: (tenantId: string, diagramId: string) => void,
  onError?: ChannelErrorReporter,
): { stop(): Promise<void> } {
  return listenToChannel(
    databaseUrl,
    CHANNEL,
    (payload) => {
      const slash = payload.indexOf('/');
      if (slash > 0 && slash < payload.length - 1) onChange(payload.slice(0, slash), payload.slice(slash + 1));
    },
    onError,
  );
}

import type pg from 'pg';
import { listenToChannel, notifyChannel, type ChannelListener } from './postgres-channel.js';

const CHANNEL = 'flowledger_ledger_changes';

/**
 * Tells every listener that a diagram has a new version in the ledger (sent by the command
 * service once the event is committed, and on Kafka too unless the publish failed; and by the
 * relay once it published what a failed publish left). A hint, not a record: a listener reads
 * the ledger or the topic for what changed, and a notice can be lost.
 */
export async function announceLedgerChange(pool: pg.Pool, tenantId: string, diagramId: string): Promise<void> {
  await notifyChannel(pool, CHANNEL, `${tenantId}/${diagramId}`);
}

/** What a listener to ledger changes is told: each change, and when notices (re)start after a gap. */
export interface LedgerChangeListener extends Omit<ChannelListener, 'onPayload'> {
  onChange(tenantId: string, diagramId: string): void;
}

/** Tells `listener` of every ledger change announced by any process, until stopped. */
export function listenForLedgerChanges(databaseUrl: string, listener: LedgerChangeListener): { stop(): Promise<void> } {
  return listenToChannel(databaseUrl, CHANNEL, {
    ...listener,
    onPayload: (payload) => {
      const slash = payload.indexOf('/');
      if (slash > 0 && slash < payload.length - 1) listener.onChange(payload.slice(0, slash), payload.slice(slash + 1));
    },
  });
}

/**
 * The ledger's notices as a source that any number of consumers can `listen` to, each on its own
 * connection, with `onError` for all (the read side's `ChangeNotices` of @flowledger/projection).
 */
export function ledgerChangeNotices(
  databaseUrl: string,
  onError: NonNullable<ChannelListener['onError']>,
): { listen(listener: Omit<LedgerChangeListener, 'onError'>): { stop(): Promise<void> } } {
  return { listen: (listener) => listenForLedgerChanges(databaseUrl, { ...listener, onError }) };
}

import type pg from 'pg';
import { listenToChannel, notifyChannel, type ChannelListener } from './postgres-channel.js';

/**
 * The ledger's change notices: a diagram has a new version on its topic. The outbox sends one in
 * the statement that marks events published (outbox-queries.ts), so every way an event reaches
 * its topic — the command path, the relay after a failed publish or a crash — is announced once
 * it is there, and never before. A hint, not a record: a listener reads the ledger or the topic
 * for what changed, and a notice can be lost.
 */
export const LEDGER_CHANGES_CHANNEL = 'flowledger_ledger_changes';

/** A notice's payload: `tenant/diagram` (a diagram id may hold slashes, a tenant id cannot). */
export function ledgerChangePayload(tenantId: string, diagramId: string): string {
  return `${tenantId}/${diagramId}`;
}

/** Announces a change outside the outbox (tests, tools): the same notice the published mark sends. */
export async function announceLedgerChange(pool: pg.Pool, tenantId: string, diagramId: string): Promise<void> {
  await notifyChannel(pool, LEDGER_CHANGES_CHANNEL, ledgerChangePayload(tenantId, diagramId));
}

/** What a listener to ledger changes is told: each change, and when notices (re)start after a gap. */
export interface LedgerChangeListener extends Omit<ChannelListener, 'onPayload'> {
  onChange(tenantId: string, diagramId: string): void;
}

/** Tells `listener` of every ledger change announced by any process, until stopped. */
export function listenForLedgerChanges(databaseUrl: string, listener: LedgerChangeListener): { stop(): Promise<void> } {
  return listenToChannel(databaseUrl, LEDGER_CHANGES_CHANNEL, {
    ...listener,
    onPayload: (payload) => {
      const slash = payload.indexOf('/');
      if (slash > 0 && slash < payload.length - 1) listener.onChange(payload.slice(0, slash), payload.slice(slash + 1));
    },
  });
}

/**
 * The ledger's notices as a source that any number of consumers in a process can `listen` to,
 * with `onError` for all (the read side's `ChangeNotices` of @flowledger/projection). They share
 * one connection: open while anyone listens, and every notice reaches each of them.
 */
export function ledgerChangeNotices(
  databaseUrl: string,
  onError: NonNullable<ChannelListener['onError']>,
): { listen(listener: Omit<LedgerChangeListener, 'onError'>): { stop(): Promise<void> } } {
  const listeners = new Set<Omit<LedgerChangeListener, 'onError'>>();
  let shared: { stop(): Promise<void> } | undefined;
  let listening = false;
  return {
    listen(listener) {
      listeners.add(listener);
      if (shared) {
        // Joining a connection already in place: notices start now for this one too.
        if (listening) listener.onListening?.();
      } else {
        shared = listenForLedgerChanges(databaseUrl, {
          onChange: (tenantId, diagramId) => listeners.forEach((l) => l.onChange(tenantId, diagramId)),
          onListening: () => {
            listening = true;
            listeners.forEach((l) => l.onListening?.());
          },
          onError: (error, channel) => {
            listening = false;
            onError(error, channel);
          },
        });
      }
      return {
        async stop() {
          if (!listeners.delete(listener) || listeners.size > 0) return;
          const last = shared;
          shared = undefined;
          listening = false;
          await last?.stop();
        },
      };
    },
  };
}

import type { DiagramEvent } from '@flowledger/events';
import { LedgerError, listenForLedgerChanges, type Ledger, type OutboxPublisher } from '@flowledger/ledger';
import { warnCannotListen } from '../observability/logger.js';
import { compressResult, LedgerConflict, type LedgerPort } from './ledger-port.js';
import type { ChangeFeed } from './queries/change-feed.js';

/**
 * The command path's view of libs/ledger and its outbox publisher. Each commit wakes this
 * process's subscribers at once; other processes hear of it from the ledger's change notice,
 * which the outbox sends when the event is on the topic.
 */
export function createLedgerAdapter(ledger: Ledger, publisher: OutboxPublisher, feed: ChangeFeed): LedgerPort {
  /** A hint: subscribers read the ledger. */
  const announce = (event: DiagramEvent) => feed.notify(event.tenantId, event.diagramId);

  return {
    async append({ event, lintWarnings, traceparent = null }, resultXml) {
      const gz = await compressResult(resultXml);
      try {
        if (event.eventType === 'DIAGRAM_CREATED') await ledger.createDiagram(event, gz, { lintWarnings, traceparent });
        else await ledger.append(event, gz, { lintWarnings, traceparent });
      } catch (error) {
        throw asConflict(error);
      }
      announce(event);
    },
    async appendAndPublish({ event, lintWarnings, traceparent = null }, resultXmlGzip, onCommitted) {
      const gz = await resultXmlGzip;
      let committed = false;
      try {
        await publisher.appendAndPublish(event, gz, {
          lintWarnings,
          traceparent,
          onCommitted: () => {
            committed = true;
            onCommitted?.();
          },
        });
      } catch (error) {
        throw asConflict(error);
      } finally {
        // Committed is what subscribers read, even when Kafka failed (the relay sends it later).
        if (committed) announce(event);
      }
    },
    findByTransaction: (tenantId, transactionId) => ledger.findByTransaction(tenantId, transactionId),
    currentVersion: (tenantId, diagramId) => ledger.currentVersion(tenantId, diagramId),
    async diagramXml(tenantId, diagramId, version) {
      const wanted = version === 0 ? await ledger.currentVersion(tenantId, diagramId) : version;
      if (wanted === undefined) return undefined;
      const xml = await ledger.getVersionXml(tenantId, diagramId, wanted);
      return xml === undefined ? undefined : { xml, version: wanted };
    },
    eventsAfter: (tenantId, diagramId, afterVersion) => ledger.readEvents(tenantId, diagramId, afterVersion + 1),
    listDiagrams: (tenantId) => ledger.listDiagrams(tenantId),
    listVersions: (tenantId, diagramId) => ledger.listVersions(tenantId, diagramId),
    async publish(tenantId, diagramId) {
      await publisher.publishPending(tenantId, diagramId);
    },
  };
}

/** The ledger's refusals the command path answers as a conflict; anything else as it is. */
function asConflict(error: unknown): unknown {
  if (error instanceof LedgerError && error.code === 'VERSION_MISMATCH') {
    return new LedgerConflict('VERSION_MISMATCH', error.currentVersion ?? 0);
  }
  if (error instanceof LedgerError && error.code === 'DUPLICATE_TRANSACTION' && error.existing) {
    return new LedgerConflict('DUPLICATE_TRANSACTION', error.existing.event.version, error.existing);
  }
  return error;
}

/** Wakes this process's subscribers when any process appends (a hint: they read the ledger). */
export function listenForChanges(databaseUrl: string, feed: ChangeFeed): { stop(): Promise<void> } {
  return listenForLedgerChanges(databaseUrl, {
    onChange: (tenantId, diagramId) => feed.notify(tenantId, diagramId),
    onError: warnCannotListen,
  });
}

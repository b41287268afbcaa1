import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import pg from 'pg';
import { LedgerError, type Ledger, type OutboxPublisher } from '@flowledger/ledger';
import { logger } from '../observability/logger.js';
import { LedgerConflict, type LedgerPort } from './ledger-port.js';
import type { ChangeFeed } from './queries/change-feed.js';

const CHANNEL = 'flowledger_ledger_changes';
const gzipAsync = promisify(gzip);

/** The command path's view of libs/ledger and its outbox publisher; announces each append to subscribers. */
export function createLedgerAdapter(
  ledger: Ledger,
  publisher: OutboxPublisher,
  pool: pg.Pool,
  feed: ChangeFeed,
): LedgerPort {
  return {
    async append({ event, lintWarnings }, resultXml) {
      // On libuv's thread pool: ~2.5 ms at 100 KB that the event loop spends on other proposals.
      const gz = await gzipAsync(resultXml);
      try {
        if (event.eventType === 'DIAGRAM_CREATED') await ledger.createDiagram(event, gz, { lintWarnings });
        else await ledger.append(event, gz, { lintWarnings });
      } catch (error) {
        if (error instanceof LedgerError && error.code === 'VERSION_MISMATCH') {
          throw new LedgerConflict('VERSION_MISMATCH', error.currentVersion ?? 0);
        }
        if (error instanceof LedgerError && error.code === 'DUPLICATE_TRANSACTION' && error.existing) {
          throw new LedgerConflict('DUPLICATE_TRANSACTION', error.existing.event.version, error.existing);
        }
        throw error;
      }
      feed.notify(event.tenantId, event.diagramId);
      // Other command-service processes wake their subscribers through Postgres. Only a wake-up
      // (subscribers read the ledger), so the proposal does not wait for it.
      void pool
        .query('SELECT pg_notify($1, $2)', [CHANNEL, `${event.tenantId}/${event.diagramId}`])
        .catch(() => undefined);
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

/** Listens for appends made by any process and wakes this process's subscribers; reconnects when Postgres restarts. */
export function listenForChanges(databaseUrl: string, feed: ChangeFeed): { stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let stopped = false;
  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', (n) => {
      const [tenantId, diagramId] = (n.payload ?? '').split('/');
      if (tenantId && diagramId) feed.notify(tenantId, diagramId);
    });
    c.on('error', () => {
      client = undefined;
      setTimeout(() => void connect().catch(() => undefined), 1_000);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      client = c;
    } catch (error) {
      logger.warn({ err: error }, 'cannot listen for ledger changes yet; retrying');
      await c.end().catch(() => undefined);
      setTimeout(() => void connect().catch(() => undefined), 1_000);
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

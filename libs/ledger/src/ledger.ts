import { gunzipSync } from 'node:zlib';
import type { Pool, PoolClient } from 'pg';
import type { DiagramEvent } from '@flowledger/events';
import { crashPoint } from '@flowledger/crash-points';
import {
  EVENT_COLUMNS,
  INSERT_EVENT_SQL,
  entryFromRow,
  eventFromRow,
  insertParams,
  type DiagramSummary,
  type EventRow,
  type LedgerEntry,
  type LintWarning,
  type VersionSummary,
} from './ledger-entry.js';
import { LedgerError, toLedgerError } from './ledger-error.js';
import { appendEvent, duplicate, findByTransaction, isDuplicateTransaction } from './append.js';
import { inTransaction } from './transaction.js';

export interface AppendOptions {
  lintWarnings?: LintWarning[];
  /** Carried to the event's Kafka headers, even when the relay publishes it later. */
  traceparent?: string | null;
}

export interface Ledger {
  /** Version 1 of a new diagram: its `diagrams` row and its first event, in one transaction. */
  createDiagram(event: DiagramEvent, resultXmlGzip: Buffer, options?: AppendOptions): Promise<LedgerEntry>;
  /**
   * The next version of a diagram, in one transaction. Fails with VERSION_MISMATCH (carrying
   * `currentVersion`) unless `event.baseVersion` is the current version, and with
   * DUPLICATE_TRANSACTION (carrying `existing`) if the tenant used the transaction id before.
   */
  append(event: DiagramEvent, resultXmlGzip: Buffer, options?: AppendOptions): Promise<LedgerEntry>;
  findByTransaction(tenantId: string, transactionId: string): Promise<LedgerEntry | undefined>;
  /** Events `fromVersion`..`toVersion` (inclusive; default: the latest), in version order. */
  readEvents(tenantId: string, diagramId: string, fromVersion: number, toVersion?: number): Promise<DiagramEvent[]>;
  getVersionXmlGzip(tenantId: string, diagramId: string, version: number): Promise<Buffer | undefined>;
  getVersionXml(tenantId: string, diagramId: string, version: number): Promise<string | undefined>;
  listDiagrams(tenantId: string): Promise<DiagramSummary[]>;
  listVersions(tenantId: string, diagramId: string): Promise<VersionSummary[]>;
  currentVersion(tenantId: string, diagramId: string): Promise<number | undefined>;
}

export interface LedgerOptions {
  pool: Pool;
}

export function createLedger({ pool }: LedgerOptions): Ledger {
  if (!pool) throw new Error('ledger: pool is required');

  /** Runs `work` in a transaction; a unique violation on the transaction id becomes DUPLICATE_TRANSACTION. */
  const inEventTransaction = async (event: DiagramEvent, work: (c: PoolClient) => Promise<LedgerEntry>) => {
    try {
      return await inTransaction(pool, work);
    } catch (err) {
      if (isDuplicateTransaction(err)) {
        const existing = await findByTransaction(pool, event.tenantId, event.transactionId);
        if (existing) throw duplicate(existing);
      }
      throw toLedgerError(err, `ledger: ${event.tenantId}/${event.diagramId} v${event.version}`);
    }
  };

  return {
    async createDiagram(event, resultXmlGzip, options = {}) {
      validateEvent(event, 'DIAGRAM_CREATED');
      if (event.version !== 1 || event.baseVersion !== 0 || !event.diagramName) {
        throw new LedgerError('INVALID_EVENT', 'a created diagram starts at version 1 on base 0, with a name');
      }
      const entry = await inEventTransaction(event, async (c) => {
        const existing = await findByTransaction(c, event.tenantId, event.transactionId);
        if (existing) throw duplicate(existing);
        const created = await c.query(
          `INSERT INTO diagrams (tenant_id, diagram_id, name, current_version, created_at, updated_at)
           VALUES ($1, $2, $3, 1, $4, $4) ON CONFLICT DO NOTHING`,
          [event.tenantId, event.diagramId, event.diagramName, event.occurredAt],
        );
        if (created.rowCount === 0) {
          throw new LedgerError('DIAGRAM_EXISTS', `diagram ${event.tenantId}/${event.diagramId} already exists`);
        }
        return insertEvent(c, event, resultXmlGzip, options);
      });
      crashPoint('ledger:after-commit');
      return entry;
    },

    async append(event, resultXmlGzip, options = {}) {
      validateEvent(event, 'CHANGES_APPLIED');
      const { entry } = await appendEvent(pool, event, resultXmlGzip, {
        lintWarnings: options.lintWarnings ?? [],
        traceparent: options.traceparent ?? null,
        sendingNow: false,
      });
      crashPoint('ledger:after-commit');
      return entry;
    },

    findByTransaction: (tenantId, transactionId) => findByTransaction(pool, tenantId, transactionId),

    async readEvents(tenantId, diagramId, fromVersion, toVersion) {
      const { rows } = await pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM ledger_events
         WHERE tenant_id = $1 AND diagram_id = $2 AND version >= $3 AND ($4::bigint IS NULL OR version <= $4)
         ORDER BY version`,
        [tenantId, diagramId, fromVersion, toVersion ?? null],
      );
      return rows.map(eventFromRow);
    },

    async getVersionXmlGzip(tenantId, diagramId, version) {
      const { rows } = await pool.query<{ result_xml_gzip: Buffer }>(
        'SELECT result_xml_gzip FROM ledger_events WHERE tenant_id = $1 AND diagram_id = $2 AND version = $3',
        [tenantId, diagramId, version],
      );
      return rows[0]?.result_xml_gzip;
    },

    async getVersionXml(tenantId, diagramId, version) {
      const gz = await this.getVersionXmlGzip(tenantId, diagramId, version);
      return gz && gunzipSync(gz).toString('utf8');
    },

    async listDiagrams(tenantId) {
      const { rows } = await pool.query<{
        diagram_id: string;
        name: string;
        current_version: string;
        created_at: Date;
        updated_at: Date;
      }>(
        `SELECT diagram_id, name, current_version, created_at, updated_at FROM diagrams
         WHERE tenant_id = $1 ORDER BY updated_at DESC, diagram_id`,
        [tenantId],
      );
      return rows.map((r) => ({
        diagramId: r.diagram_id,
        name: r.name,
        version: Number(r.current_version),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }));
    },

    async listVersions(tenantId, diagramId) {
      const { rows } = await pool.query<{
        version: string;
        transaction_id: string;
        actor_id: string;
        actor_kind: 'USER' | 'AGENT';
        occurred_at: Date;
      }>(
        `SELECT version, transaction_id, actor_id, actor_kind, occurred_at FROM ledger_events
         WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version`,
        [tenantId, diagramId],
      );
      return rows.map((r) => ({
        version: Number(r.version),
        transactionId: r.transaction_id,
        actorId: r.actor_id,
        actorKind: r.actor_kind,
        occurredAt: r.occurred_at,
      }));
    },

    async currentVersion(tenantId, diagramId) {
      const { rows } = await pool.query<{ current_version: string }>(
        'SELECT current_version FROM diagrams WHERE tenant_id = $1 AND diagram_id = $2',
        [tenantId, diagramId],
      );
      return rows[0] ? Number(rows[0].current_version) : undefined;
    },
  };
}

async function insertEvent(c: PoolClient, event: DiagramEvent, xmlGzip: Buffer, options: AppendOptions) {
  const { rows } = await c.query<EventRow>(
    INSERT_EVENT_SQL,
    insertParams(event, xmlGzip, options.lintWarnings ?? [], options.traceparent ?? null),
  );
  return entryFromRow(rows[0]!);
}

/** Refuses an event the ledger must never hold (a bug in the caller, not a user error). */
export function validateEvent(event: DiagramEvent, type: DiagramEvent['eventType']): void {
  const problems = [
    event.eventType !== type && `eventType must be ${type}`,
    event.version !== event.baseVersion + 1 && 'version must be baseVersion + 1',
    !Number.isSafeInteger(event.version) && 'version must be an integer',
    !event.tenantId && 'tenantId is required',
    !event.diagramId && 'diagramId is required',
    !event.transactionId && 'transactionId is required',
    !/^[0-9a-f]{64}$/.test(event.resultHash) && 'resultHash must be a sha256 hex digest',
  ].filter(Boolean);
  if (problems.length > 0) throw new LedgerError('INVALID_EVENT', `ledger: ${problems.join('; ')}`);
}

import type { PoolClient } from 'pg';
import { EVENT_COLUMNS, entryFromRow, type EventRow, type KafkaPosition, type LedgerEntry } from '../ledger-entry.js';
import { LEDGER_CHANGES_CHANNEL, ledgerChangePayload } from '../notices/ledger-changes.js';
import type { HeldLock } from './diagram-lock.js';

export interface PendingEntry extends LedgerEntry {
  /** Set when some process began sending it: it may be on the topic though not marked. */
  publishAttemptedAt: Date | null;
}

export async function selectPending(c: PoolClient, tenantId: string, diagramId: string): Promise<PendingEntry[]> {
  const { rows } = await c.query<EventRow & { publish_attempted_at: Date | null }>(
    `SELECT ${EVENT_COLUMNS}, publish_attempted_at FROM ledger_events
     WHERE tenant_id = $1 AND diagram_id = $2 AND published_at IS NULL ORDER BY version`,
    [tenantId, diagramId],
  );
  return rows.map((r) => ({ ...entryFromRow(r), publishAttemptedAt: r.publish_attempted_at }));
}

/** Committed before the send, so a crash after it tells recovery to look at the topic first. */
export async function markAttempted(c: PoolClient, tenantId: string, diagramId: string, versions: number[]) {
  await c.query(
    `UPDATE ledger_events SET publish_attempted_at = now()
     WHERE tenant_id = $1 AND diagram_id = $2 AND version = ANY($3::bigint[])`,
    [tenantId, diagramId, versions],
  );
}

/**
 * Marks events as on the topic and announces the diagram's change (delivered at the commit, so
 * only once they are on the topic and marked): one round trip, committed without an fsync of
 * its own (migrations/002_mark_published.sql says why that is safe).
 */
export async function markPublished(
  c: PoolClient,
  tenantId: string,
  diagramId: string,
  marks: Array<{ version: number } & KafkaPosition>,
  lock?: HeldLock,
) {
  if (marks.length === 0) return;
  const params = [
    tenantId,
    diagramId,
    marks.map((m) => m.version),
    marks.map((m) => m.partition),
    marks.map((m) => m.offset.toString()),
    ledgerChangePayload(tenantId, diagramId),
  ];
  const markAndAnnounce = `ledger_mark_published($1, $2, $3::bigint[], $4::int[], $5::bigint[]),
    pg_notify('${LEDGER_CHANGES_CHANNEL}', $6)`;
  if (!lock) {
    await c.query(`SELECT ${markAndAnnounce}`, params);
    return;
  }
  // The lock goes in the same round trip, just before the mark's commit. A writer of this
  // diagram in another process that takes it in that instant still sees the event unmarked —
  // with publish_attempted_at set, so it looks on the topic and finds it: slower, never wrong.
  await c.query(`SELECT ${markAndAnnounce}, pg_advisory_unlock($7, hashtext($8))`, [...params, ...lock.key]);
  lock.releasedByWork = true;
}

/** The position of the diagram's last marked event: its partition, and where later ones can start. */
export async function lastMarkedPosition(c: PoolClient, tenantId: string, diagramId: string) {
  const { rows } = await c.query<{ kafka_partition: number; kafka_offset: string }>(
    `SELECT kafka_partition, kafka_offset FROM ledger_events
     WHERE tenant_id = $1 AND diagram_id = $2 AND published_at IS NOT NULL ORDER BY version DESC LIMIT 1`,
    [tenantId, diagramId],
  );
  return rows[0] ? { partition: rows[0].kafka_partition, offset: BigInt(rows[0].kafka_offset) } : undefined;
}

/**
 * The highest offset in a partition that was marked before `recordedBefore`: marked means acked
 * earlier still, and an event recorded later was sent later, so it sits above that offset.
 */
export async function lastOffsetMarkedBefore(c: PoolClient, tenantId: string, partition: number, recordedBefore: Date) {
  const { rows } = await c.query<{ max: string | null }>(
    `SELECT max(kafka_offset) AS max FROM ledger_events
     WHERE tenant_id = $1 AND kafka_partition = $2 AND published_at IS NOT NULL AND published_at < $3`,
    [tenantId, partition, recordedBefore],
  );
  return rows[0]?.max == null ? undefined : BigInt(rows[0].max);
}

/** Diagrams with events committed but not on the topic, oldest first. */
export async function selectDiagramsWithPending(c: PoolClient | { query: PoolClient['query'] }, minAgeMs: number) {
  const { rows } = await c.query<{ tenant_id: string; diagram_id: string }>(
    `SELECT tenant_id, diagram_id FROM ledger_events
     WHERE published_at IS NULL AND recorded_at < now() - make_interval(secs => $1::double precision / 1000)
     GROUP BY tenant_id, diagram_id ORDER BY min(recorded_at)`,
    [minAgeMs],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, diagramId: r.diagram_id }));
}

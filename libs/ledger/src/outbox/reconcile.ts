import type { PoolClient } from 'pg';
import type { EventCodec } from '@flowledger/events';
import { partitionForKey, type KafkaPartitionReader } from '@flowledger/kafka';
import type { KafkaPosition } from '../ledger-entry.js';
import { LedgerError } from '../ledger-error.js';
import { lastMarkedPosition, lastOffsetMarkedBefore, type PendingEntry } from './outbox-queries.js';

export interface ReconcileDeps {
  reader: KafkaPartitionReader;
  codec: EventCodec;
}

/**
 * Finds which of a diagram's unmarked events are already on the topic — a process crashed (or
 * lost its connection) between Kafka's ack and the ledger's mark — so they are marked instead of
 * sent again. Only the diagram's partition is read, from the lowest offset its unmarked events
 * can have to the end. Returns version → position, always a prefix of `pending`.
 */
export async function findAlreadyOnTopic(
  { reader, codec }: ReconcileDeps,
  c: PoolClient,
  topic: string,
  pending: PendingEntry[],
): Promise<Map<number, KafkaPosition>> {
  const first = pending[0];
  if (!first) return new Map();
  const { tenantId, diagramId } = first.event;
  const lastMarked = await lastMarkedPosition(c, tenantId, diagramId);
  // Every record of a diagram is in one partition: where its last marked event is, or where the producer puts its key.
  const partition = lastMarked?.partition ?? partitionForKey(diagramId, await reader.partitionCount(topic));
  const markedBefore = await lastOffsetMarkedBefore(c, tenantId, partition, first.recordedAt);
  const { start, end } = await reader.offsets(topic, partition);
  const from = [
    start,
    lastMarked ? lastMarked.offset + 1n : 0n,
    markedBefore === undefined ? 0n : markedBefore + 1n,
  ].reduce((a, b) => (a > b ? a : b));
  const found = new Map<number, KafkaPosition>();
  if (from >= end) return found;

  const byVersion = new Map(pending.map((p) => [p.event.version, p]));
  for (const record of await reader.read(topic, partition, from, end)) {
    if (record.key !== diagramId) continue;
    const event = await codec.decode(record.value);
    const expected = byVersion.get(event.version);
    if (event.tenantId !== tenantId || event.diagramId !== diagramId || !expected || found.has(event.version)) continue;
    if (event.transactionId !== expected.event.transactionId) {
      throw new LedgerError(
        'TOPIC_DIVERGED',
        `${topic} holds version ${event.version} of ${diagramId} from transaction ${event.transactionId}, the ledger from ${expected.event.transactionId}`,
      );
    }
    found.set(event.version, { partition: record.partition, offset: record.offset });
  }
  const prefix = pending.slice(0, found.size).every((p) => found.has(p.event.version));
  if (!prefix) {
    throw new LedgerError(
      'TOPIC_DIVERGED',
      `${topic} holds versions of ${diagramId} out of order: ${[...found.keys()].join(', ')}`,
    );
  }
  return found;
}

import { Producer, ProduceAcks } from '@platformatic/kafka';
import { type KafkaConnection, validateConnection } from './kafka-connection.js';
import { partitionForKey } from './kafka-partitioning.js';
import { createSerialBatcher } from './serial-batcher.js';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
  /** An explicit partition (restoring a backup into the same layout); default: by key (partitionForKey). */
  partition?: number;
}

/** Where an acknowledged record landed. */
export interface ProducedRecord {
  topic: string;
  partition: number;
  offset: bigint;
}

export interface KafkaProducer {
  /**
   * Resolves once every record is acknowledged by all in-sync replicas, with each record's
   * position in the order given; safe to call concurrently.
   */
  send(records: OutgoingRecord[]): Promise<ProducedRecord[]>;
  close(): Promise<void>;
}

/** Records a produce request carries at most when concurrent callers are coalesced (well under the broker's 1 MB batch limit). */
const MAX_COALESCED_BYTES = 512 * 1024;

/**
 * An idempotent producer with acks=all: a retried send never duplicates or reorders a record.
 *
 * @platformatic/kafka 1.x reads a partition's sequence number when it builds a request and
 * advances it only when the response arrives, so two overlapping `send()` calls carry the same
 * sequence and the broker acknowledges the second as a duplicate without writing it
 * (platformatic/kafka#326). Requests therefore go out one at a time, and records from callers
 * that arrive meanwhile share the next request.
 */
export function createKafkaProducer(connection: KafkaConnection): KafkaProducer {
  validateConnection(connection);
  let producer = newProducer(connection);
  // Each flushed record's position, handed back to the caller that added it.
  const positions = new WeakMap<OutgoingRecord, ProducedRecord>();
  const batcher = createSerialBatcher<OutgoingRecord>({
    flush: async (records) => {
      try {
        // The adapter picks partitions itself (partitionForKey), so every position is known exactly.
        const metadata = await producer.metadata({ topics: [...new Set(records.map((r) => r.topic))] });
        const partitions = records.map((r) => {
          const count = partitionCountOf(metadata, r.topic);
          if (r.partition === undefined) return partitionForKey(r.key, count);
          if (!Number.isInteger(r.partition) || r.partition < 0 || r.partition >= count) {
            throw new Error(`kafka: ${r.topic} has no partition ${r.partition}`);
          }
          return r.partition;
        });
        const result = await producer.send({ messages: records.map((r, i) => toMessage(r, partitions[i]!)) });
        assignPositions(records, partitions, result.offsets ?? [], positions);
      } catch (err) {
        // The failed request may still have been written; its sequence numbers were not advanced,
        // so the next request would reuse them and could be dropped as its duplicate. A new
        // producer id starts a fresh sequence (what the Java client does with an epoch bump).
        const failed = producer;
        producer = newProducer(connection);
        void failed.close().catch(() => undefined);
        throw err;
      }
    },
    sizeOf: (r) => r.value.length + r.key.length,
    maxFlushSize: MAX_COALESCED_BYTES,
  });
  return {
    send: async (records) => {
      if (records.length === 0) return [];
      await batcher.add(records);
      return records.map((r) => positions.get(r)!);
    },
    close: () => producer.close(),
  };
}

function newProducer(connection: KafkaConnection): Producer<Buffer, Buffer, Buffer, Buffer> {
  return new Producer({
    clientId: connection.clientId,
    bootstrapBrokers: connection.brokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    retries: 10,
    retryDelay: 250,
  });
}

function toMessage(r: OutgoingRecord, partition: number) {
  return {
    topic: r.topic,
    partition,
    key: Buffer.from(r.key),
    value: r.value,
    headers: new Map(Object.entries(r.headers ?? {}).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])),
  };
}

function partitionCountOf(metadata: { topics: Map<string, { partitionsCount: number }> }, topic: string): number {
  const count = metadata.topics.get(topic)?.partitionsCount;
  if (!count) throw new Error(`kafka: topic ${topic} does not exist`);
  return count;
}

/** The broker reports one base offset per partition; that partition's records follow it in order. */
function assignPositions(
  records: OutgoingRecord[],
  partitions: number[],
  bases: Array<{ topic: string; partition: number; offset: bigint }>,
  positions: WeakMap<OutgoingRecord, ProducedRecord>,
): void {
  const next = new Map(bases.map((b) => [`${b.topic}:${b.partition}`, b.offset]));
  records.forEach((r, i) => {
    const partition = partitions[i]!;
    const offset = next.get(`${r.topic}:${partition}`);
    if (offset === undefined) throw new Error(`kafka: no offset acknowledged for ${r.topic}/${partition}`);
    next.set(`${r.topic}:${partition}`, offset + 1n);
    positions.set(r, { topic: r.topic, partition, offset });
  });
}

import { Consumer, type KafkaRecord, type RecordsBatch } from '@platformatic/kafka';
import { type KafkaConnection, validateConnection } from './kafka-connection.js';
import type { IncomingRecord } from './kafka-consumer.js';

export interface PartitionOffsets {
  /** The first offset still in the log (earlier records were deleted by retention). */
  start: bigint;
  /** The offset the next record will get (the high watermark). */
  end: bigint;
}

export interface KafkaPartitionReader {
  partitionCount(topic: string): Promise<number>;
  offsets(topic: string, partition: number): Promise<PartitionOffsets>;
  /** The records at offsets `from` (inclusive) to `to` (exclusive), in offset order. */
  read(topic: string, partition: number, from: bigint, to: bigint): Promise<IncomingRecord[]>;
  /**
   * Only the values of those records: for a reader of many records that needs nothing else (a
   * rebuild), spared a key, a headers object and an offset made for each.
   */
  readValues(topic: string, partition: number, from: bigint, to: bigint): Promise<Buffer[]>;
  close(): Promise<void>;
}

const LATEST = -1n;
const EARLIEST = -2n;
/**
 * Bytes per fetch. The client parses a response in the chunks it arrived in and finds the chunk
 * of every field it reads from the first one on, so parsing grows with the square of a response's
 * size: 60,000 records (~400 B each) read in 584–604 ms with 4 MiB fetches, 345 with 1 MiB, 226–235
 * with 256 KiB, 261–288 with 64 KiB (more round trips). A record batch larger than this still
 * comes whole (the broker returns the first batch in any case).
 */
const FETCH_MAX_BYTES = 256 * 1024;
const IS_CONTROL_BATCH = 1 << 5;
const EMPTY = Buffer.alloc(0);

/**
 * Reads a known range of one partition directly, outside any consumer group: for recovery
 * steps that must see exactly what is on the log (e.g. the ledger's outbox reconciling after a
 * crash), not for consuming streams.
 */
export function createKafkaPartitionReader(connection: KafkaConnection): KafkaPartitionReader {
  validateConnection(connection);
  // A group id is required by the client; this reader never joins or commits to it.
  const client = new Consumer({
    clientId: connection.clientId,
    groupId: `${connection.clientId}-partition-reader`,
    bootstrapBrokers: connection.brokers,
    retries: 5,
    retryDelay: 250,
    isolationLevel: 0, // read uncommitted: no transactions here, and the high watermark is the end
  });

  const offsetAt = async (topic: string, partition: number, timestamp: bigint) => {
    const offsets = await client.listOffsets({ topics: [topic], partitions: { [topic]: [partition] }, timestamp });
    const offset = offsets.get(topic)?.[partition];
    if (offset === undefined) throw new Error(`kafka: no offsets reported for ${topic}/${partition}`);
    return offset;
  };

  /** Each record of the range made into a `T`, in offset order. */
  const collect = async <T>(
    topic: string,
    partition: number,
    from: bigint,
    to: bigint,
    make: (batch: RecordsBatch, record: KafkaRecord) => T,
  ): Promise<T[]> => {
    const out: T[] = [];
    let next = from;
    while (next < to) {
      const metadata = await client.metadata({ topics: [topic] });
      const t = metadata.topics.get(topic);
      const leader = t?.partitions[partition]?.leader;
      if (!t || leader === undefined) throw new Error(`kafka: no leader known for ${topic}/${partition}`);
      const response = await client.fetch({
        node: leader,
        topics: [
          {
            topicId: t.id,
            partitions: [
              {
                partition,
                fetchOffset: next,
                partitionMaxBytes: FETCH_MAX_BYTES,
                currentLeaderEpoch: -1,
                lastFetchedEpoch: -1,
              },
            ],
          },
        ],
        maxWaitTime: 100,
        minBytes: 1,
        maxBytes: FETCH_MAX_BYTES,
      });
      const before = next;
      for (const p of response.responses.flatMap((r) => r.partitions)) {
        if (p.errorCode !== 0)
          throw new Error(`kafka: fetch of ${topic}/${partition} failed with error ${p.errorCode}`);
        for (const batch of p.records ?? []) {
          const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
          if (batch.attributes & IS_CONTROL_BATCH) {
            next = end;
            continue;
          }
          // A batch may start before the requested offset, or end after the range: its records
          // outside are skipped, compared by their delta (a number, not an offset made per record).
          const first = Number(next - batch.firstOffset);
          const last = to < end ? Number(to - batch.firstOffset) : Infinity;
          for (const r of batch.records) {
            if (r.offsetDelta >= first && r.offsetDelta < last) out.push(make(batch, r));
          }
          next = maxBigInt(next, end);
        }
      }
      if (next === before)
        throw new Error(`kafka: ${topic}/${partition} returned nothing at offset ${next} below ${to}`);
    }
    return out;
  };

  return {
    async partitionCount(topic) {
      const metadata = await client.metadata({ topics: [topic], forceUpdate: true });
      const count = metadata.topics.get(topic)?.partitionsCount;
      if (!count) throw new Error(`kafka: topic ${topic} does not exist`);
      return count;
    },
    async offsets(topic, partition) {
      return { start: await offsetAt(topic, partition, EARLIEST), end: await offsetAt(topic, partition, LATEST) };
    },
    read: (topic, partition, from, to) =>
      collect(topic, partition, from, to, (batch, r) => ({
        topic,
        partition,
        offset: batch.firstOffset + BigInt(r.offsetDelta),
        key: r.key?.toString() ?? '',
        value: r.value ?? EMPTY,
        headers: Object.fromEntries(r.headers.map(([k, v]) => [k?.toString() ?? '', v?.toString() ?? ''])),
      })),
    readValues: (topic, partition, from, to) => collect(topic, partition, from, to, (_, r) => r.value ?? EMPTY),
    close: () => client.close(),
  };
}

function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/**
 * A consumer-group member's read positions, and which of its partitions the next fetch names.
 * Pure: the consumer adapter (kafka-consumer.ts) feeds it assignments, news and fetched batches.
 *
 * Why it exists: a Kafka fetch costs the client and the broker time for every partition it names
 * (with ~1,000 tenant topics, ~8 ms each per fetch; BENCHMARKS.md, "Kafka fetch cost by member
 * size"). A member told which topics have news names only those partitions, and names all of
 * them only in an occasional sweep.
 */
export interface PartitionPosition {
  topic: string;
  partition: number;
  /** The offset of the next record to read. */
  offset: bigint;
}

/** One record batch of a fetch response, as the client parses it. */
export interface FetchedBatch {
  firstOffset: bigint;
  lastOffsetDelta: number;
  /** Control batches (transaction markers) move the position but hold no records for the handler. */
  isControl: boolean;
  records: Array<{ offsetDelta: number }>;
}

export interface FetchPositions {
  /** Starts over with a new assignment and its start offsets; the news of partitions no longer assigned is dropped. */
  assign(positions: PartitionPosition[]): void;
  /** Records may have arrived: in one partition of `topic`, or (without `partition`) in any of its assigned ones. */
  markNews(topic: string, partition?: number): void;
  hasNews(): boolean;
  /** The partitions to fetch now, at their positions: all of them, or those with news. Clears the news it returns. */
  take(all: boolean): PartitionPosition[];
  /**
   * Applies one partition's fetched batches: returns the records at or after the position (each with
   * its offset; a batch can start before the position asked for) and moves the position past them.
   * A partition whose high watermark is still ahead (the fetch hit its size limit) keeps its news.
   */
  accept<R extends { offsetDelta: number }>(
    topic: string,
    partition: number,
    batches: Array<FetchedBatch & { records: R[] }>,
    highWatermark: bigint,
  ): Array<{ record: R; offset: bigint }>;
  /** The position of an assigned partition. */
  positionOf(topic: string, partition: number): bigint | undefined;
}

export function createFetchPositions(): FetchPositions {
  const positions = new Map<string, PartitionPosition>();
  const partitionsOfTopic = new Map<string, number[]>();
  const news = new Set<string>();
  const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

  return {
    assign(assigned) {
      positions.clear();
      partitionsOfTopic.clear();
      for (const p of assigned) {
        positions.set(keyOf(p.topic, p.partition), { ...p });
        const partitions = partitionsOfTopic.get(p.topic) ?? [];
        partitionsOfTopic.set(p.topic, partitions);
        partitions.push(p.partition);
      }
      for (const key of news) if (!positions.has(key)) news.delete(key);
    },
    markNews(topic, partition) {
      const partitions = partition === undefined ? (partitionsOfTopic.get(topic) ?? []) : [partition];
      for (const p of partitions) {
        const key = keyOf(topic, p);
        if (positions.has(key)) news.add(key);
      }
    },
    hasNews: () => news.size > 0,
    take(all) {
      const keys = all ? [...positions.keys()] : [...news];
      news.clear();
      return keys.map((key) => ({ ...positions.get(key)! }));
    },
    accept(topic, partition, batches, highWatermark) {
      const key = keyOf(topic, partition);
      const position = positions.get(key);
      if (!position) return []; // no longer assigned (a rebalance came in between)
      const accepted: Array<{ record: (typeof batches)[number]['records'][number]; offset: bigint }> = [];
      for (const batch of batches) {
        const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
        if (end <= position.offset) continue;
        if (!batch.isControl) {
          for (const record of batch.records) {
            const offset = batch.firstOffset + BigInt(record.offsetDelta);
            if (offset >= position.offset) accepted.push({ record, offset });
          }
        }
        position.offset = end;
      }
      if (position.offset < highWatermark) news.add(key);
      return accepted;
    },
    positionOf: (topic, partition) => positions.get(keyOf(topic, partition))?.offset,
  };
}

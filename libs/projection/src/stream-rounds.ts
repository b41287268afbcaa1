import type { KafkaAdmin, KafkaPartitionReader } from '@flowledger/kafka';
import { tenantTopics } from './tenant-topics.js';

/** Records `start` (inclusive) to `end` (exclusive) of one partition. */
export interface PartitionRange {
  topic: string;
  partition: number;
  start: bigint;
  end: bigint;
}

/**
 * What a rebuild reads, round by round: the first round is every tenant topic (of `tenants`, or
 * all) from its start to its end now; each later one what arrived since the previous round's end,
 * including topics created meanwhile (from their start).
 */
export function createStreamRounds(admin: KafkaAdmin, reader: KafkaPartitionReader, tenants?: string[]) {
  const ends = new Map<string, bigint[]>();
  return {
    async next(): Promise<PartitionRange[]> {
      const ranges: PartitionRange[] = [];
      for (const topic of tenantTopics(await admin.listTopics(), tenants)) {
        const count = await reader.partitionCount(topic);
        const known = ends.get(topic) ?? [];
        for (let partition = 0; partition < count; partition++) {
          const { start, end } = await reader.offsets(topic, partition);
          const from = known[partition] !== undefined && known[partition]! > start ? known[partition]! : start;
          if (end > from) ranges.push({ topic, partition, start: from, end });
          known[partition] = end;
        }
        ends.set(topic, known);
      }
      return ranges;
    },
    /** Where reading stopped: topic → partition → offset (exclusive), as strings. */
    endOffsets(): Record<string, string[]> {
      return Object.fromEntries([...ends].map(([topic, offsets]) => [topic, offsets.map(String)]));
    },
    tenants(): string[] {
      return [...ends.keys()];
    },
  };
}

export function recordsIn(ranges: PartitionRange[]): number {
  return ranges.reduce((n, r) => n + Number(r.end - r.start), 0);
}

/** One read of a range: its topic, the offset it starts at, and the records' values. */
export interface RangeChunk {
  topic: string;
  from: bigint;
  values: Buffer[];
}

/**
 * The records' values of `ranges`, in order, `chunk` records at a time. The next chunk is fetched while
 * the caller works on the current one, so the broker's and the network's time overlaps the
 * caller's (at most two chunks are held). A fetch that fails is thrown where its chunk is due.
 */
export async function* readAhead(
  reader: KafkaPartitionReader,
  ranges: PartitionRange[],
  chunk: bigint,
): AsyncGenerator<RangeChunk> {
  const steps: Array<{ topic: string; partition: number; from: bigint; to: bigint }> = [];
  for (const { topic, partition, start, end } of ranges) {
    for (let from = start; from < end; from += chunk) {
      steps.push({ topic, partition, from, to: from + chunk < end ? from + chunk : end });
    }
  }
  const fetch = (i: number) => {
    const s = steps[i]!;
    const values = reader.readValues(s.topic, s.partition, s.from, s.to);
    values.catch(() => undefined); // awaited below; unhandled only if the caller stops early
    return values;
  };
  let next = steps.length > 0 ? fetch(0) : undefined;
  for (let i = 0; i < steps.length; i++) {
    const values = await next!;
    next = i + 1 < steps.length ? fetch(i + 1) : undefined;
    yield { topic: steps[i]!.topic, from: steps[i]!.from, values };
  }
}

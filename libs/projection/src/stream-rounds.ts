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

import { Admin } from '@platformatic/kafka';
import type { BenchRecord } from './clients-under-test.js';

/** A record whose value starts with `key|seq|` and is padded to `size` bytes, so a reader can check order per key. */
export function benchRecord(topic: string, keyCount: number, seq: number, size: number): BenchRecord {
  const key = `key-${seq % keyCount}`;
  const value = Buffer.alloc(size, 'x');
  value.write(`${key}|${seq}|`);
  return { topic, key, value };
}

export function parseBenchValue(value: Buffer): { key: string; seq: number } {
  const [key, seq] = value.subarray(0, 40).toString().split('|');
  return { key: key!, seq: Number(seq) };
}

/** Checks what a reader saw: each seq once, and per key in increasing seq order. */
export function checkDelivery(values: Buffer[]): { distinct: number; redelivered: number; outOfOrderKeys: number } {
  const seen = new Set<number>();
  const lastSeqByKey = new Map<string, number>();
  const badKeys = new Set<string>();
  let redelivered = 0;
  for (const v of values) {
    const { key, seq } = parseBenchValue(v);
    if (seen.has(seq)) {
      redelivered++;
      continue;
    }
    seen.add(seq);
    if ((lastSeqByKey.get(key) ?? -1) > seq) badKeys.add(key);
    lastSeqByKey.set(key, seq);
  }
  return { distinct: seen.size, redelivered, outOfOrderKeys: badKeys.size };
}

/** Topics for one run, all deleted at the end; counts what the log holds independently of any client. */
export class BenchTopics {
  private readonly admin: Admin;
  private readonly created: string[] = [];

  constructor(
    brokers: string[],
    private readonly runId: string,
  ) {
    this.admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: brokers, retries: 20, retryDelay: 500 });
  }

  async fresh(label: string, partitions: number): Promise<string> {
    const name = `flowledger.bench-${this.runId}.${label}`;
    await this.admin.createTopics({ topics: [name], partitions, replicas: 1 });
    this.created.push(name);
    return name;
  }

  /** Records in the log: the sum of the partitions' end offsets (the topics start empty). */
  async recordCount(topic: string, partitions: number): Promise<number> {
    const listed = await this.admin.listOffsets({
      topics: [{ name: topic, partitions: range(partitions).map((p) => ({ partitionIndex: p, timestamp: -1n })) }],
    });
    return listed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
  }

  async deleteAll(): Promise<void> {
    if (this.created.length > 0) await this.admin.deleteTopics({ topics: this.created }).catch(() => undefined);
    await this.admin.close();
  }
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Nearest-rank percentile of a sample, in the sample's unit. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

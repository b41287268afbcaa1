import { describe, expect, it } from 'vitest';
import type { IncomingRecord, KafkaPartitionReader } from '@flowledger/kafka';
import { readAhead, type PartitionRange } from './stream-rounds.js';

/**
 * A partition reader over offsets alone (the record at offset n has value "n"), logging each
 * read as it starts; `failAt` makes the read starting there fail.
 */
function offsetReader(log: string[], failAt?: bigint): KafkaPartitionReader {
  const read = async (topic: string, partition: number, from: bigint, to: bigint) => {
    log.push(`read ${topic}/${partition} ${from}-${to}`);
    await new Promise((r) => setTimeout(r, 1));
    if (from === failAt) throw new Error(`broken at ${from}`);
    const out: IncomingRecord[] = [];
    for (let o = from; o < to; o++) {
      out.push({ topic, partition, offset: o, key: '', value: Buffer.from(String(o)), headers: {} });
    }
    return out;
  };
  return {
    partitionCount: async () => 1,
    offsets: async () => ({ start: 0n, end: 0n }),
    read,
    readValues: async (...args) => (await read(...args)).map((r) => r.value),
    close: async () => {},
  };
}

const ranges: PartitionRange[] = [
  { topic: 't1', partition: 0, start: 3n, end: 8n },
  { topic: 't2', partition: 1, start: 0n, end: 2n },
];

describe('reading ranges ahead', () => {
  it('gives every record of the ranges once, in order, in chunks that stay within a range', async () => {
    const seen: string[] = [];
    for await (const { topic, values } of readAhead(offsetReader([]), ranges, 2n)) {
      seen.push(`${topic}:${values.map((v) => v.toString()).join(',')}`);
    }
    expect(seen).toEqual(['t1:3,4', 't1:5,6', 't1:7', 't2:0,1']);
  });

  it('has the next chunk on its way while the caller works on the current one', async () => {
    const log: string[] = [];
    for await (const { topic, from } of readAhead(offsetReader(log), ranges, 2n)) {
      log.push(`work ${topic} ${from}`);
    }
    expect(log).toEqual([
      'read t1/0 3-5',
      'read t1/0 5-7',
      'work t1 3',
      'read t1/0 7-8',
      'work t1 5',
      'read t2/1 0-2',
      'work t1 7',
      'work t2 0',
    ]);
  });

  it('throws a failed read where its chunk is due, after the chunks before it', async () => {
    const seen: bigint[] = [];
    const reading = (async () => {
      for await (const { from } of readAhead(offsetReader([], 5n), ranges, 2n)) seen.push(from);
    })();
    await expect(reading).rejects.toThrow('broken at 5');
    expect(seen).toEqual([3n]);
  });

  it('reads nothing for no ranges', async () => {
    const log: string[] = [];
    for await (const chunk of readAhead(offsetReader(log), [], 2n)) log.push(chunk.topic);
    expect(log).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { createKafkaAdmin, createKafkaPartitionReader, createKafkaProducer, partitionForKey } from './index.js';

const { kafka } = loadStackConfig();
const topic = `flowledger.test-${randomUUID().slice(0, 8)}.reader`;
const bigTopic = `${topic}-big`;
const admin = createKafkaAdmin({ brokers: kafka.brokers, clientId: 'reader-test' });

afterAll(async () => {
  await admin.deleteTopics([topic, bigTopic]);
  await admin.close();
});

describe('positions of produced records and the partition reader, against the real broker', () => {
  it('reports where each record landed, and reads exactly that range back', async () => {
    // given a three-partition topic and records for two keys
    await admin.ensureTopics([{ name: topic, partitions: 3 }]);
    const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'reader-test-producer' });
    const reader = createKafkaPartitionReader({ brokers: kafka.brokers, clientId: 'reader-test-reader' });
    const keys = ['diagram-a', 'diagram-b'];
    const records = Array.from({ length: 6 }, (_, i) => ({
      topic,
      key: keys[i % 2]!,
      value: Buffer.from(`v${i}`),
      headers: { n: String(i) },
    }));

    // when they are sent (in one call and in overlapping calls)
    const positions = [
      ...(await producer.send(records.slice(0, 4))),
      ...(await Promise.all(records.slice(4).map((r) => producer.send([r])))).flat(),
    ];
    await producer.close();

    // then each position is the key's partition, offsets rise per partition, and reading finds the records there
    expect(await reader.partitionCount(topic)).toBe(3);
    for (const [i, p] of positions.entries()) expect(p.partition).toBe(partitionForKey(records[i]!.key, 3));
    for (const key of keys) {
      const partition = partitionForKey(key, 3);
      const { start, end } = await reader.offsets(topic, partition);
      const mine = positions.filter((p) => p.partition === partition);
      expect(end - start).toBe(BigInt(mine.length));
      const read = await reader.read(topic, partition, start, end);
      expect(read.map((r) => r.offset)).toEqual(mine.map((p) => p.offset));
      expect(read.map((r) => r.value.toString())).toEqual(
        positions.flatMap((p, i) => (p.partition === partition ? [records[i]!.value.toString()] : [])),
      );
      expect(read[0]!.headers.n).toBeDefined();
      // a sub-range starting mid-way; values only, of one starting and ending inside the records sent together
      expect((await reader.read(topic, partition, start + 1n, end)).length).toBe(read.length - 1);
      expect(await reader.readValues(topic, partition, start + 1n, end - 1n)).toEqual(
        read.slice(1, -1).map((r) => r.value),
      );
    }
    await reader.close();
  });

  it('reads records larger than one fetch, and a range spanning many fetches, whole and in order', async () => {
    await admin.ensureTopics([{ name: bigTopic, partitions: 1 }]);
    const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'reader-test-producer' });
    const reader = createKafkaPartitionReader({ brokers: kafka.brokers, clientId: 'reader-test-reader' });
    // 600 KB each: over the reader's 256 KiB a fetch; then 2,000 small ones, many fetches' worth.
    const big = [1, 2].map((n) => Buffer.alloc(600 * 1024, n));
    const small = Array.from({ length: 2_000 }, (_, i) => Buffer.from(`small ${i} `.repeat(40)));
    for (const value of big) await producer.send([{ topic: bigTopic, key: 'k', value, headers: {} }]);
    for (let i = 0; i < small.length; i += 500) {
      await producer.send(small.slice(i, i + 500).map((value) => ({ topic: bigTopic, key: 'k', value, headers: {} })));
    }
    await producer.close();

    const { start, end } = await reader.offsets(bigTopic, 0);
    const read = await reader.read(bigTopic, 0, start, end);
    expect(read.map((r) => r.offset)).toEqual(
      Array.from({ length: big.length + small.length }, (_, i) => start + BigInt(i)),
    );
    expect(read.map((r) => r.value)).toEqual([...big, ...small]);
    expect(await reader.readValues(bigTopic, 0, start + 1n, end - 1n)).toEqual([big[1], ...small.slice(0, -1)]);
    await reader.close();
  });
});

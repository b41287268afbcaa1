import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { createKafkaAdmin, createKafkaPartitionReader, createKafkaProducer, partitionForKey } from './index.js';

const { kafka } = loadStackConfig();
const topic = `flowledger.test-${randomUUID().slice(0, 8)}.explicit`;
const admin = createKafkaAdmin({ brokers: kafka.brokers, clientId: 'explicit-partition-test' });

afterAll(async () => {
  await admin.deleteTopics([topic]);
  await admin.close();
});

describe('a record that names its partition (restoring a backup)', () => {
  it('lands in that partition, whatever its key hashes to, and a partition that does not exist is refused', async () => {
    await admin.ensureTopics([{ name: topic, partitions: 3 }]);
    const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'explicit-partition-producer' });
    const reader = createKafkaPartitionReader({ brokers: kafka.brokers, clientId: 'explicit-partition-reader' });
    const key = 'diagram-x';
    const elsewhere = (partitionForKey(key, 3) + 1) % 3;

    const [position] = await producer.send([{ topic, key, value: Buffer.from('v'), partition: elsewhere }]);
    await expect(producer.send([{ topic, key, value: Buffer.from('w'), partition: 3 }])).rejects.toThrow(
      /no partition 3/,
    );

    expect(position!.partition).toBe(elsewhere);
    const [record] = await reader.read(topic, elsewhere, position!.offset, position!.offset + 1n);
    expect(record?.value.toString()).toBe('v');
    await producer.close();
    await reader.close();
  });
});

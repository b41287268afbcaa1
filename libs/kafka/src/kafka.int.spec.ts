import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { createKafkaAdmin, createKafkaConsumer, createKafkaProducer, type IncomingRecord } from './index.js';

const { kafka } = loadStackConfig();
const topic = `flowledger.test-${randomUUID().slice(0, 8)}.adapter`;
const admin = createKafkaAdmin({ brokers: kafka.brokers, clientId: 'adapter-test' });

afterAll(async () => {
  await admin.deleteTopics([topic]);
  await admin.close();
});

describe('Kafka adapter against the real broker', () => {
  it('produces records idempotently and a consumer group reads them back in order, with key and headers', async () => {
    // given a fresh topic
    await admin.ensureTopics([{ name: topic, partitions: 3 }]);
    await admin.ensureTopics([{ name: topic, partitions: 3 }]); // idempotent
    expect(await admin.listTopics()).toContain(topic);

    // when three records with one key are produced
    const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'adapter-test-producer' });
    const values = ['v1', 'v2', 'v3'];
    await producer.send(
      values.map((v) => ({ topic, key: 'diagram-1', value: Buffer.from(v), headers: { 'event-type': 'test' } })),
    );
    await producer.close();

    // then a consumer group receives them in order, keyed, with headers
    const consumer = createKafkaConsumer({
      brokers: kafka.brokers,
      clientId: 'adapter-test-consumer',
      groupId: `g-${randomUUID()}`,
    });
    const received: IncomingRecord[] = [];
    const done = new Promise<void>((resolve, reject) => {
      consumer
        .run({
          topics: [topic],
          onRecord: async (r) => {
            received.push(r);
            if (received.length === values.length) resolve();
          },
        })
        .catch(reject);
    });
    await done;
    await consumer.close();

    expect(received.map((r) => r.value.toString())).toEqual(values);
    expect(new Set(received.map((r) => r.partition)).size).toBe(1);
    expect(received.map((r) => r.offset)).toEqual([0n, 1n, 2n]);
    expect(received[0]).toMatchObject({ key: 'diagram-1', headers: { 'event-type': 'test' } });
  });
});

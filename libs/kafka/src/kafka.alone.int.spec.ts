import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { createKafkaAdmin, createKafkaConsumer, createKafkaProducer, type IncomingRecord } from './index.js';

const { kafka } = loadStackConfig();
const topic = `flowledger.test-${randomUUID().slice(0, 8)}.adapter`;
const concurrentTopic = `${topic}-concurrent`;
const resumeTopic = `${topic}-resume`;
const pacedTopic = `${topic}-paced`;
const sharedTopic = `${topic}-shared`;
const admin = createKafkaAdmin({ brokers: kafka.brokers, clientId: 'adapter-test' });

afterAll(async () => {
  await admin.deleteTopics([topic, concurrentTopic, resumeTopic, pacedTopic, sharedTopic]);
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

  it('writes every record exactly once, in call order per key, when sends overlap (platformatic/kafka#326)', async () => {
    // given a fresh one-partition topic and one producer
    await admin.ensureTopics([{ name: concurrentTopic, partitions: 1 }]);
    const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'adapter-test-concurrent' });

    // when 200 single-record sends are in flight at once
    const count = 200;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        producer.send([{ topic: concurrentTopic, key: 'diagram-1', value: Buffer.from(String(i)) }]),
      ),
    );
    // a last record, sent alone, marks the end so a lost record fails fast instead of timing out
    await producer.send([{ topic: concurrentTopic, key: 'diagram-1', value: Buffer.from('end') }]);
    await producer.close();

    // then a consumer reads all 200, each once, in the order the sends were called
    const consumer = createKafkaConsumer({
      brokers: kafka.brokers,
      clientId: 'adapter-test-concurrent-consumer',
      groupId: `g-${randomUUID()}`,
    });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          topics: [concurrentTopic],
          onRecord: async (r) => {
            if (r.value.toString() === 'end') resolve();
            else received.push(r.value.toString());
          },
        })
        .catch(reject);
    });
    await consumer.close();
    expect(received).toEqual(Array.from({ length: count }, (_, i) => String(i)));
  });

  it('commits the last handled offset before a member leaves, so the group resumes right after it', async () => {
    // given 500 records on a one-partition topic
    await admin.ensureTopics([{ name: resumeTopic, partitions: 1 }]);
    const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'adapter-test-resume' });
    const count = 500;
    await producer.send(
      Array.from({ length: count }, (_, i) => ({
        topic: resumeTopic,
        key: 'diagram-1',
        value: Buffer.from(String(i)),
      })),
    );
    await producer.close();
    const groupId = `g-${randomUUID()}`;
    const member = () =>
      createKafkaConsumer({ brokers: kafka.brokers, clientId: 'adapter-test-resume-consumer', groupId });

    // when a first member handles at least 300 of them and closes
    const first = member();
    const handledByFirst: string[] = [];
    await new Promise<void>((resolve, reject) => {
      first
        .run({
          topics: [resumeTopic],
          onRecord: async (r) => {
            handledByFirst.push(r.value.toString());
            if (handledByFirst.length === 300) resolve();
          },
        })
        .catch(reject);
    });
    await first.close();

    // then a second member of the group receives exactly the rest: nothing handled twice, nothing skipped
    const second = member();
    const handledBySecond: string[] = [];
    await new Promise<void>((resolve, reject) => {
      if (handledByFirst.length === count) resolve();
      second
        .run({
          topics: [resumeTopic],
          onRecord: async (r) => {
            handledBySecond.push(r.value.toString());
            if (handledByFirst.length + handledBySecond.length === count) resolve();
          },
        })
        .catch(reject);
    });
    await second.close();
    expect([...handledByFirst, ...handledBySecond]).toEqual(Array.from({ length: count }, (_, i) => String(i)));
  });

  it('ends run() with the error a record handler throws', async () => {
    // given a topic holding one record
    const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'adapter-test-failing' });
    await producer.send([{ topic, key: 'diagram-1', value: Buffer.from('boom') }]);
    await producer.close();

    // when the handler throws, then run() rejects with that error
    const consumer = createKafkaConsumer({
      brokers: kafka.brokers,
      clientId: 'adapter-test-failing',
      groupId: `g-${randomUUID()}`,
    });
    await expect(
      consumer.run({
        topics: [topic],
        onRecord: async () => {
          throw new Error('projection failed');
        },
      }),
    ).rejects.toThrow('projection failed');
    await consumer.close();
  });

  it('with a minimum fetch interval, takes a stream of records in a few batches, and an idle member the next record at once', async () => {
    // given a batch consumer with a 400 ms fetch interval, idle on a fresh topic
    await admin.ensureTopics([{ name: pacedTopic, partitions: 1 }]);
    const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'adapter-test-paced' });
    const consumer = createKafkaConsumer({
      brokers: kafka.brokers,
      clientId: 'adapter-test-paced',
      groupId: `g-${randomUUID()}`,
    });
    const batches: Array<{ at: number; values: string[] }> = [];
    const running = consumer.run({
      topics: [pacedTopic],
      minFetchIntervalMs: 400,
      onBatch: async (records) => void batches.push({ at: Date.now(), values: records.map((r) => r.value.toString()) }),
    });
    const until = async (count: number) => {
      for (const deadline = Date.now() + 20_000; batches.flatMap((b) => b.values).length < count;) {
        if (Date.now() > deadline) throw new Error(`only ${JSON.stringify(batches)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await producer.send([{ topic: pacedTopic, key: 'k', value: Buffer.from('warm-up') }]);
      await until(1);
      await new Promise((r) => setTimeout(r, 1_000)); // idle again: a long poll is waiting

      // when one record comes, then twenty more, 20 ms apart
      const sentAt = Date.now();
      await producer.send([{ topic: pacedTopic, key: 'k', value: Buffer.from('first') }]);
      await until(2);
      const firstLatency = batches.at(-1)!.at - sentAt;
      for (let i = 0; i < 20; i++) {
        await producer.send([{ topic: pacedTopic, key: 'k', value: Buffer.from(`r${i}`) }]);
        await new Promise((r) => setTimeout(r, 20));
      }
      await until(22);

      // then the idle member got the first at once, the twenty came in a few batches, all in order
      expect(firstLatency).toBeLessThan(300);
      const rest = batches.filter((b) => b.values.some((v) => v.startsWith('r')));
      expect(rest.length).toBeLessThanOrEqual(5);
      expect(rest.flatMap((b) => b.values)).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
    } finally {
      await consumer.close();
      await running;
      await producer.close();
    }
  });

  it('lets a member without partitions wait while the other reads (two members, one partition)', async () => {
    // given two members of one group over a one-partition topic: one of them is assigned nothing
    await admin.ensureTopics([{ name: sharedTopic, partitions: 1 }]);
    const groupId = `g-${randomUUID()}`;
    const handled: string[] = [];
    const members = ['a', 'b'].map((name) => {
      const consumer = createKafkaConsumer({
        brokers: kafka.brokers,
        clientId: `adapter-test-shared-${name}`,
        groupId,
      });
      const running = consumer.run({
        topics: [sharedTopic],
        onRecord: async (r) => void handled.push(r.value.toString()),
      });
      return { consumer, running };
    });
    const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'adapter-test-shared' });
    try {
      await new Promise((r) => setTimeout(r, 3_000)); // both joined

      // when records come, then the member holding the partition handles them: the idle one holds up nothing
      for (let i = 0; i < 3; i++) await producer.send([{ topic: sharedTopic, key: 'k', value: Buffer.from(`s${i}`) }]);
      for (const deadline = Date.now() + 20_000; handled.length < 3 && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(handled).toEqual(['s0', 's1', 's2']);
    } finally {
      await producer.close();
      await Promise.all(members.map((m) => m.consumer.close()));
      await Promise.all(members.map((m) => m.running));
    }
  });
});

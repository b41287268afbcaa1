import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
// The broker stopped and started as an operator would (the stack runner's pid file, `stack up`).
import { kafkaBroker } from '../../../tests/modeling/invariants/support/stack-server.js';
import { createKafkaAdmin, createKafkaConsumer, createKafkaProducer, type KafkaConsumer } from './index.js';

// A member with a news source fetches only the partitions it is told about, and all of them
// every sweep. These tests pin what that must not cost: latency for announced records, records
// nobody announced, and a group's exactly-one-member-per-partition.
const { kafka } = loadStackConfig();
const prefix = `flowledger.test-news-${randomUUID().slice(0, 8)}`;
const admin = createKafkaAdmin({ brokers: kafka.brokers, clientId: 'news-test' });
const producer = createKafkaProducer({ brokers: kafka.brokers, clientId: 'news-test-producer' });
const created: string[] = [];

async function topics(count: number, partitions: number): Promise<string[]> {
  const names = Array.from({ length: count }, () => `${prefix}.${randomUUID().slice(0, 8)}`);
  await admin.ensureTopics(names.map((name) => ({ name, partitions })));
  created.push(...names);
  return names;
}

interface Handled {
  value: string;
  at: number;
  member: string;
}

function member(groupId: string, name: string, handled: Handled[], topicsToRead: string[], sweepIntervalMs: number) {
  const consumer = createKafkaConsumer({ brokers: kafka.brokers, clientId: `news-test-${name}`, groupId });
  const running = consumer.run({
    topics: topicsToRead,
    news: { sweepIntervalMs },
    onBatch: async (records) => {
      for (const r of records) handled.push({ value: r.value.toString(), at: Date.now(), member: name });
    },
  });
  return { consumer, running };
}

async function until(what: string, check: () => boolean, ms = 20_000) {
  for (const deadline = Date.now() + ms; !check();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const closeAll = async (members: Array<{ consumer: KafkaConsumer; running: Promise<void> }>) => {
  await Promise.all(members.map((m) => m.consumer.close()));
  await Promise.all(members.map((m) => m.running));
};

afterAll(async () => {
  if (!(await kafkaBroker.accepts())) await kafkaBroker.start();
  await producer.close();
  await admin.deleteTopics(created);
  await admin.close();
});

describe('a consumer told which partitions have news', () => {
  it('fetches an announced record at once, and one nobody announced at the next sweep', async () => {
    // given a member over two topics sweeping every 3 s, which has read a first record (its join sweep)
    const [quiet, announced] = (await topics(2, 1)) as [string, string];
    const handled: Handled[] = [];
    const m = member(`g-${randomUUID()}`, 'a', handled, [quiet, announced], 3_000);
    try {
      await producer.send([{ topic: quiet, key: 'k', value: Buffer.from('warm-up') }]);
      await until('the warm-up record', () => handled.length === 1);

      // when one record comes to each topic, and only the second is announced
      const sentAt = Date.now();
      await producer.send([{ topic: quiet, key: 'k', value: Buffer.from('unannounced') }]);
      await producer.send([{ topic: announced, key: 'k', value: Buffer.from('announced') }]);
      m.consumer.notify(announced, 'k');
      await until('the announced record', () => handled.some((h) => h.value === 'announced'));

      // then the announced one is handled at once while the other waits for the sweep, which brings it
      const announcedAt = handled.find((h) => h.value === 'announced')!.at;
      expect(announcedAt - sentAt).toBeLessThan(1_000);
      expect(handled.map((h) => h.value)).not.toContain('unannounced');
      await until('the sweep', () => handled.some((h) => h.value === 'unannounced'), 10_000);
      const sweptAt = handled.find((h) => h.value === 'unannounced')!.at;
      expect(sweptAt - sentAt).toBeGreaterThan(1_000);
    } finally {
      await closeAll([m]);
    }
  });

  it('reads every partition at once when asked to sweep (after notices may have been lost)', async () => {
    // given a member sweeping only every minute, which has read a first record
    const [topic] = (await topics(1, 1)) as [string];
    const handled: Handled[] = [];
    const m = member(`g-${randomUUID()}`, 'a', handled, [topic], 60_000);
    try {
      await producer.send([{ topic, key: 'k', value: Buffer.from('warm-up') }]);
      m.consumer.notify(topic, 'k');
      await until('the warm-up record', () => handled.length === 1);

      // when a record comes unannounced, and the member is asked to sweep
      await producer.send([{ topic, key: 'k', value: Buffer.from('unannounced') }]);
      await new Promise((r) => setTimeout(r, 300));
      expect(handled).toHaveLength(1);
      m.consumer.sweep();

      // then it reads it long before its next sweep
      await until('the unannounced record', () => handled.some((h) => h.value === 'unannounced'));
    } finally {
      await closeAll([m]);
    }
  });

  it('announced by key: each key’s records in order, and a new member resumes from the committed offsets', async () => {
    // given a member over a four-partition topic
    const [topic] = (await topics(1, 4)) as [string];
    const groupId = `g-${randomUUID()}`;
    const handled: Handled[] = [];
    const first = member(groupId, 'first', handled, [topic], 60_000);
    await producer.send([{ topic, key: 'd-1', value: Buffer.from('warm-up') }]);
    // (the join sweep may have run before the warm-up arrived: announce it)
    first.consumer.notify(topic, 'd-1');
    await until('the warm-up record', () => handled.length === 1);

    // when ten records per key of five keys come, each announced with its key
    const keys = ['d-1', 'd-2', 'd-3', 'd-4', 'd-5'];
    for (let i = 0; i < 10; i++) {
      await producer.send(keys.map((key) => ({ topic, key, value: Buffer.from(`${key}:${i}`) })));
      for (const key of keys) first.consumer.notify(topic, key);
    }
    await until('fifty records', () => handled.length === 51);
    await closeAll([first]);

    // then each key's records came in order, and a new member of the group, announced nothing, reads only what comes next
    for (const key of keys) {
      expect(handled.filter((h) => h.value.startsWith(`${key}:`)).map((h) => h.value)).toEqual(
        Array.from({ length: 10 }, (_, i) => `${key}:${i}`),
      );
    }
    const second = member(groupId, 'second', handled, [topic], 60_000);
    try {
      await producer.send([{ topic, key: 'd-2', value: Buffer.from('after') }]);
      second.consumer.notify(topic, 'd-2');
      await until('the record after', () => handled.some((h) => h.value === 'after'));
      await new Promise((r) => setTimeout(r, 300));
      expect(handled.filter((h) => h.member === 'second').map((h) => h.value)).toEqual(['after']);
    } finally {
      await closeAll([second]);
    }
  });

  it('shares the partitions between two members: every announced record handled once', async () => {
    // given two members of one group over six topics, both told about every record
    const six = await topics(6, 1);
    const groupId = `g-${randomUUID()}`;
    const handled: Handled[] = [];
    const a = member(groupId, 'a', handled, six, 60_000);
    const b = member(groupId, 'b', handled, six, 60_000);
    try {
      await new Promise((r) => setTimeout(r, 6_000)); // both joined, and the second join's rebalance settled

      // when five records per topic come, each announced to both members
      for (let i = 0; i < 5; i++) {
        await producer.send(six.map((topic) => ({ topic, key: 'k', value: Buffer.from(`${topic}:${i}`) })));
        for (const t of six) {
          a.consumer.notify(t, 'k');
          b.consumer.notify(t, 'k');
        }
      }
      await until('thirty records', () => handled.length >= 30);
      await new Promise((r) => setTimeout(r, 500));

      // then each was handled exactly once, and both members did some of the work
      expect(handled.map((h) => h.value).sort()).toEqual(
        six.flatMap((t) => Array.from({ length: 5 }, (_, i) => `${t}:${i}`)).sort(),
      );
      expect(new Set(handled.map((h) => h.member))).toEqual(new Set(['a', 'b']));
    } finally {
      await closeAll([a, b]);
    }
  });

  it('rejoins after a broker restart and reads on from its committed offsets', { timeout: 240_000 }, async () => {
    // given a member that has handled five announced records
    const [topic] = (await topics(1, 1)) as [string];
    const handled: Handled[] = [];
    const m = member(`g-${randomUUID()}`, 'a', handled, [topic], 2_000);
    const sendAnnounced = async (values: string[]) => {
      for (const value of values) {
        await producer.send([{ topic, key: 'k', value: Buffer.from(value) }]);
        m.consumer.notify(topic, 'k');
      }
    };
    try {
      await sendAnnounced(['r0', 'r1', 'r2', 'r3', 'r4']);
      await until('five records', () => handled.length === 5);
      await new Promise((r) => setTimeout(r, 500)); // their commit is out

      // when the broker stops and starts again, and five more records come
      await kafkaBroker.stop();
      await kafkaBroker.start();
      await sendAnnounced(['r5', 'r6', 'r7', 'r8', 'r9']);

      // then the member handles them, and each record was handled exactly once, in order
      await until('ten records', () => handled.length >= 10, 60_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(handled.map((h) => h.value)).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    } finally {
      await closeAll([m]);
    }
  });
});

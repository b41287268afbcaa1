import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { diagramEventsTopic } from '@flowledger/events';
import { partitionForKey } from '@flowledger/kafka';
import {
  commit,
  newTenantId,
  openLedgerTestStack,
  range,
  readTopic,
  testEvent,
  versionsOnTopic,
  type LedgerTestStack,
} from '../test-support/ledger-test-stack.js';

// Two stacks: two command-service processes' worth of pools, producers and publishers.
let a: LedgerTestStack;
let b: LedgerTestStack;
beforeAll(async () => {
  [a, b] = await Promise.all([openLedgerTestStack('outbox-test-a'), openLedgerTestStack('outbox-test-b')]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

describe('outbox: the ledger publishes to flowledger.<tenant>.diagram-events', () => {
  it('puts versions 1..N of every diagram on the topic once each, in ledger order, while two publishers race', async () => {
    // given four diagrams written at once, each version published by whichever publisher gets there first
    const tenant = newTenantId();
    const diagrams = ['d-a', 'd-b', 'd-c', 'd-d'];
    const versions = 15;
    await Promise.all(
      diagrams.map(async (d, i) => {
        for (const v of range(1, versions)) {
          await commit((i % 2 ? a : b).ledger, testEvent(tenant, d, v));
          await Promise.all([a.publisher.publishPending(tenant, d), b.publisher.publishPending(tenant, d)]);
        }
      }),
    );

    // then the topic holds each diagram's versions 1..N exactly once, in order, in the key's partition
    const onTopic = await readTopic(a, tenant);
    expect(onTopic).toHaveLength(diagrams.length * versions);
    for (const d of diagrams) {
      expect(versionsOnTopic(onTopic, d)).toEqual(range(1, versions));
      const records = onTopic.filter((t) => t.event.diagramId === d);
      expect(new Set(records.map((r) => r.partition))).toEqual(new Set([partitionForKey(d, 3)]));
      expect(records.every((r) => r.key === d)).toBe(true);
      // and the ledger agrees: same events, marked with the positions they have on the topic
      expect(records.map((r) => r.event)).toEqual(await a.ledger.readEvents(tenant, d, 1));
      const { rows } = await a.pool.query(
        'SELECT version, kafka_partition, kafka_offset FROM ledger_events WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version',
        [tenant, d],
      );
      expect(rows.map((r) => [Number(r.version), r.kafka_partition, BigInt(r.kafka_offset)])).toEqual(
        records.map((r) => [r.event.version, r.partition, r.offset]),
      );
    }
    expect(onTopic[0]!.headers).toMatchObject({
      'tenant-id': tenant,
      'event-type': 'DIAGRAM_CREATED',
      'content-type': 'application/vnd.confluent.avro',
    });
  });

  it("carries the traceparent into the headers, and reports a published version's position", async () => {
    const tenant = newTenantId();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const event = testEvent(tenant, 'd1', 1);
    await a.ledger.createDiagram(event, Buffer.from('x'), { traceparent });
    const position = await a.publisher.ensurePublished(tenant, 'd1', 1);
    const [record] = await readTopic(a, tenant);
    expect(record).toMatchObject({ partition: position.partition, offset: position.offset, headers: { traceparent } });
    expect(await a.admin.listTopics()).toContain(diagramEventsTopic(tenant));
  });

  it("is decoded by Confluent's own Python client (AvroDeserializer + registry), operations and all", async () => {
    const tenant = newTenantId();
    await commit(a.ledger, testEvent(tenant, 'd1', 1));
    await commit(a.ledger, testEvent(tenant, 'd1', 2));
    await a.publisher.publishPending(tenant, 'd1');
    const config = loadStackConfig();
    const { stdout } = await promisify(execFile)(
      'var/venv/interop/bin/python',
      [
        'tests/interop/confluent_consume.py',
        '--brokers',
        config.kafka.brokers.join(','),
        '--registry',
        config.schemaRegistry.url,
        '--topic',
        diagramEventsTopic(tenant),
        '--count',
        '2',
      ],
      { timeout: 60_000, cwd: new URL('../../../../', import.meta.url).pathname },
    );
    const decoded = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; value: Record<string, unknown> });
    expect(decoded.map((d) => [d.key, d.value.version, d.value.event_type])).toEqual([
      ['d1', 1, 'DIAGRAM_CREATED'],
      ['d1', 2, 'CHANGES_APPLIED'],
    ]);
    expect(decoded[1]!.value).toMatchObject({
      tenant_id: tenant,
      operations: [{ element_id: 'p', properties_json: '{"name":"v2"}' }],
      result_hash: testEvent(tenant, 'd1', 2).resultHash,
    });
  });
});

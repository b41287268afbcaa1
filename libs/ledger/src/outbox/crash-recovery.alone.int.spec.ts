import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { runWorker } from '../test-support/spawn-worker.js';

let stack: LedgerTestStack;
beforeAll(async () => {
  stack = await openLedgerTestStack('crash-recovery-test');
});
afterAll(() => stack.close());

/** Commits `version` in a child process that SIGKILLs itself at `crashAt`. */
async function crashWhileWriting(tenant: string, diagram: string, version: number, crashAt: string) {
  const exit = await runWorker(['commit-and-publish', tenant, diagram, String(version)], {
    FLOWLEDGER_CRASH_AT: crashAt,
  });
  expect(exit.signal, exit.stderr).toBe('SIGKILL');
}

async function unpublishedVersions(tenant: string, diagram: string) {
  const { rows } = await stack.pool.query(
    'SELECT version FROM ledger_events WHERE tenant_id = $1 AND diagram_id = $2 AND published_at IS NULL ORDER BY version',
    [tenant, diagram],
  );
  return rows.map((r) => Number(r.version));
}

describe('kill -9 on the write path, then recovery by the relay', () => {
  it('puts every committed version on the topic exactly once, in order, whichever point the writer died at', async () => {
    const tenant = newTenantId();

    // given a diagram at version 1, on the topic
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    await stack.publisher.publishPending(tenant, 'd1');

    // when writers die: after the commit (nothing sent), and twice after Kafka's ack (sent, not marked)
    await crashWhileWriting(tenant, 'd1', 2, 'ledger:after-commit');
    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual([1]);
    await crashWhileWriting(tenant, 'd1', 3, 'outbox:after-ack');
    await crashWhileWriting(tenant, 'd1', 4, 'outbox:after-ack');
    // and a new diagram's first version is acked but never marked (no earlier position to start from)
    await crashWhileWriting(tenant, 'd2', 1, 'outbox:after-ack');

    // then the ledger has everything, the topic a prefix, and neither is ahead of the other in order
    expect(await unpublishedVersions(tenant, 'd1')).toEqual([4]); // the v4 writer first reconciled v2 and v3
    expect(await unpublishedVersions(tenant, 'd2')).toEqual([1]);
    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual([1, 2, 3, 4]);

    // when the relay runs
    const sweeps: number[] = [];
    const relay = stack.publisher.startRelay({
      intervalMs: 100,
      minAgeMs: 0,
      onSweep: (r) => sweeps.push(r.published),
    });
    await waitFor(
      async () =>
        (await unpublishedVersions(tenant, 'd1')).length + (await unpublishedVersions(tenant, 'd2')).length === 0,
    );
    await relay.stop();

    // then each version is on the topic exactly once, in order, where the ledger says it is
    const onTopic = await readTopic(stack, tenant);
    expect(versionsOnTopic(onTopic, 'd1')).toEqual(range(1, 4));
    expect(versionsOnTopic(onTopic, 'd2')).toEqual([1]);
    const { rows } = await stack.pool.query(
      'SELECT diagram_id, version, kafka_partition, kafka_offset FROM ledger_events WHERE tenant_id = $1 ORDER BY diagram_id, version',
      [tenant],
    );
    const positions = new Map(
      onTopic.map((t) => [`${t.event.diagramId}/${t.event.version}`, `${t.partition}:${t.offset}`]),
    );
    for (const r of rows)
      expect(positions.get(`${r.diagram_id}/${r.version}`)).toBe(`${r.kafka_partition}:${r.kafka_offset}`);

    // and a later version still follows on
    await commit(stack.ledger, testEvent(tenant, 'd1', 5));
    await stack.publisher.publishPending(tenant, 'd1');
    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual(range(1, 5));
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting for the relay');
    await new Promise((r) => setTimeout(r, 100));
  }
}

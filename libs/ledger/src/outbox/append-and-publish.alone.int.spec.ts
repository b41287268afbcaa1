import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISH_LOCK_CLASS } from '../advisory-locks.js';
import { LedgerError } from '../ledger-error.js';
import {
  commit,
  newTenantId,
  openLedgerTestStack,
  range,
  readTopic,
  testEvent,
  versionsOnTopic,
  versionXml,
  type LedgerTestStack,
} from '../test-support/ledger-test-stack.js';
import { runWorker } from '../test-support/spawn-worker.js';

let stack: LedgerTestStack;
beforeAll(async () => {
  stack = await openLedgerTestStack('append-and-publish-test');
});
afterAll(() => stack.close());

const appendAndPublish = (tenant: string, diagram: string, version: number, transactionId?: string) =>
  stack.publisher.appendAndPublish(
    testEvent(tenant, diagram, version, transactionId ? { transactionId } : {}),
    versionXml(diagram, version).gzip,
  );

async function outboxRows(tenant: string, diagram: string) {
  const { rows } = await stack.pool.query<{
    version: string;
    published: boolean;
    attempted: boolean;
    kafka_partition: number | null;
    kafka_offset: string | null;
  }>(
    `SELECT version, published_at IS NOT NULL AS published, publish_attempted_at IS NOT NULL AS attempted,
       kafka_partition, kafka_offset FROM ledger_events WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version`,
    [tenant, diagram],
  );
  return rows;
}

/**
 * Whether a new session could take the diagram's publish lock now (and lets go of it at once).
 * Not a pooled one: the session that leaked a lock would take it again.
 */
async function tryPublishLock(tenant: string, diagram: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: stack.pool.options.connectionString });
  await client.connect();
  try {
    const key = [PUBLISH_LOCK_CLASS, `${tenant}/${diagram}`];
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
      key,
    );
    if (rows[0]!.locked) await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', key);
    return rows[0]!.locked;
  } finally {
    await client.end();
  }
}

async function refusal(work: Promise<unknown>): Promise<LedgerError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LedgerError);
  return error as LedgerError;
}

describe('appendAndPublish: the command path commits and publishes under the diagram lock', () => {
  it('resolves with the position where the event is on the topic, and marks the ledger with it', async () => {
    const tenant = newTenantId();
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    await stack.publisher.publishPending(tenant, 'd1');

    const position = await appendAndPublish(tenant, 'd1', 2);

    const onTopic = (await readTopic(stack, tenant)).filter((t) => t.event.diagramId === 'd1');
    expect(onTopic.map((t) => t.event.version)).toEqual([1, 2]);
    expect(onTopic[1]).toMatchObject({ partition: position.partition, offset: position.offset, key: 'd1' });
    expect(onTopic[1]!.event.transactionId).toBe('tx-d1-2');
    // The mark is written after the ack, under the lock: the next publisher waits for it, finds nothing left.
    expect(await stack.publisher.publishPending(tenant, 'd1')).toEqual([]);
    const rows = await outboxRows(tenant, 'd1');
    expect(rows[1]).toMatchObject({ published: true, attempted: true, kafka_offset: String(position.offset) });
  });

  it('sends earlier unpublished versions first, in order', async () => {
    const tenant = newTenantId();
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    await commit(stack.ledger, testEvent(tenant, 'd1', 2)); // committed, never sent (a writer died)

    await appendAndPublish(tenant, 'd1', 3);

    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual([1, 2, 3]);
    expect((await outboxRows(tenant, 'd1')).every((r) => r.published)).toBe(true);
  });

  it('refuses a stale base version with the current version, and a repeated transaction with its first result, appending nothing', async () => {
    const tenant = newTenantId();
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    await appendAndPublish(tenant, 'd1', 2);

    const stale = await refusal(appendAndPublish(tenant, 'd1', 2, 'tx-other'));
    expect(stale).toMatchObject({ code: 'VERSION_MISMATCH', currentVersion: 2 });
    // the same transaction again, on the old base and on the current one
    for (const version of [2, 3]) {
      const repeated = await refusal(appendAndPublish(tenant, 'd1', version, 'tx-d1-2'));
      expect(repeated.code).toBe('DUPLICATE_TRANSACTION');
      expect(repeated.existing?.event.version).toBe(2);
    }
    const missing = await refusal(appendAndPublish(tenant, 'nope', 2));
    expect(missing.code).toBe('DIAGRAM_NOT_FOUND');

    expect((await outboxRows(tenant, 'd1')).map((r) => Number(r.version))).toEqual([1, 2]);
    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual([1, 2]);
    // Whatever the outcome, the diagram's publish lock is free again.
    await stack.publisher.publishPending(tenant, 'd1'); // waits for the last mark, which lets go of it
    expect(await tryPublishLock(tenant, 'd1')).toBe(true);
  });

  it('appends only while it holds the diagram publish lock: its statement waits for a holder', async () => {
    const tenant = newTenantId();
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    await stack.publisher.publishPending(tenant, 'd1');
    const holder = await stack.pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [PUBLISH_LOCK_CLASS, `${tenant}/d1`]);
      let settled = false;
      const appending = appendAndPublish(tenant, 'd1', 2).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 500));
      expect(settled).toBe(false);
      expect((await outboxRows(tenant, 'd1')).map((r) => Number(r.version))).toEqual([1]);

      await holder.query('SELECT pg_advisory_unlock($1, hashtext($2))', [PUBLISH_LOCK_CLASS, `${tenant}/d1`]);
      await appending;
    } finally {
      holder.release();
    }
    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual([1, 2]);
  });

  it('keeps ledger and topic in the same order when two processes write the same diagram at once', async () => {
    const tenant = newTenantId();
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    await stack.publisher.publishPending(tenant, 'd1');

    const writers = await Promise.all([0, 1].map(() => runWorker(['write-versions', tenant, 'd1', '15'])));
    for (const w of writers) expect(w.code, w.stderr).toBe(0);

    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual(range(1, 31));
    const rows = await outboxRows(tenant, 'd1');
    expect(rows.map((r) => Number(r.version))).toEqual(range(1, 31));
    expect(rows.every((r) => r.published)).toBe(true);
    const offsets = rows.map((r) => BigInt(r.kafka_offset!));
    expect(offsets.every((o, i) => i === 0 || o > offsets[i - 1]!)).toBe(true);
  });

  it('after kill -9 between the commit and the send, or between the ack and the mark, the relay leaves each version once, in order', async () => {
    const tenant = newTenantId();
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    await stack.publisher.publishPending(tenant, 'd1');

    for (const [version, crashAt] of [
      [2, 'ledger:after-commit'],
      [3, 'outbox:after-ack'],
    ] as const) {
      const exit = await runWorker(['append-and-publish', tenant, 'd1', String(version)], {
        FLOWLEDGER_CRASH_AT: crashAt,
      });
      expect(exit.signal, exit.stderr).toBe('SIGKILL');
    }
    // v2 was never sent; v3's writer found v2 pending, sent 2 and 3, and died before marking them
    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual([1, 2, 3]);
    expect((await outboxRows(tenant, 'd1')).filter((r) => !r.published).map((r) => Number(r.version))).toEqual([2, 3]);

    const sweep = await stack.publisher.publishAllPending();
    expect(sweep.failures).toEqual([]);
    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual([1, 2, 3]);
    expect((await outboxRows(tenant, 'd1')).every((r) => r.published)).toBe(true);

    await appendAndPublish(tenant, 'd1', 4);
    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual([1, 2, 3, 4]);
  });
});

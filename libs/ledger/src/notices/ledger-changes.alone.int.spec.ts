import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { createKafkaProducer } from '@flowledger/kafka';
import { createOutboxPublisher } from '../outbox/outbox-publisher.js';
import {
  commit,
  newTenantId,
  openLedgerTestStack,
  testEvent,
  versionXml,
  type LedgerTestStack,
} from '../test-support/ledger-test-stack.js';
import { announceLedgerChange, ledgerChangeNotices, listenForLedgerChanges } from './ledger-changes.js';

// The read side fetches a diagram's partition when the ledger announces a change to it, so every
// way an event reaches its topic must be announced, and a listener must say when it may have
// missed some (it then reads every partition).
let stack: LedgerTestStack;
beforeAll(async () => {
  stack = await openLedgerTestStack('ledger-changes-test');
});
afterAll(async () => {
  await stack.close();
});

/**
 * A listener, once its LISTEN is in place. With `markedVersion`, each notice also asks the ledger
 * at once whether that version of the announced diagram is marked published (in `marked`). With
 * `tenant`, it hears that tenant only: a relay's sweep also publishes, and announces, what other
 * test files left pending in the test database.
 */
async function listen(options: { markedVersion?: number; tenant?: string } = {}) {
  const changes: string[] = [];
  const marked: Array<Promise<boolean>> = [];
  let listening = 0;
  const listener = listenForLedgerChanges(stack.databaseUrl, {
    onChange: (tenantId, diagramId) => {
      if (options.tenant !== undefined && tenantId !== options.tenant) return;
      changes.push(`${tenantId}/${diagramId}`);
      if (options.markedVersion === undefined) return;
      const check = stack.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ledger_events
          WHERE tenant_id = $1 AND diagram_id = $2 AND version = $3 AND published_at IS NOT NULL`,
        [tenantId, diagramId, options.markedVersion],
      );
      marked.push(check.then(({ rows }) => rows[0]!.n === 1));
    },
    onListening: () => listening++,
  });
  await until('listening', () => listening === 1);
  return { changes, marked, listening: () => listening, stop: () => listener.stop() };
}

async function until(what: string, check: () => boolean) {
  for (const deadline = Date.now() + 15_000; !check();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ledger change notices', () => {
  it('reach every listener, tenant and diagram apart', async () => {
    const listener = await listen();
    try {
      const tenant = newTenantId();
      await announceLedgerChange(stack.pool, tenant, 'd/with-slash');
      await until('the notice', () => listener.changes.length === 1);
      expect(listener.changes).toEqual([`${tenant}/d/with-slash`]);
    } finally {
      await listener.stop();
    }
  });

  it('announce an append once its event is on the topic and marked, never before, and once', async () => {
    // given a created diagram (published) and a listener that looks at the ledger on each notice
    const tenant = newTenantId();
    await commit(stack.ledger, testEvent(tenant, 'd', 1));
    await stack.publisher.publishPending(tenant, 'd');
    const listener = await listen({ markedVersion: 2, tenant });
    try {
      // when the command path appends version 2 and its publish fails (the producer is closed)
      const closed = createKafkaProducer({ brokers: loadStackConfig().kafka.brokers, clientId: 'closed-producer' });
      await closed.close();
      const failing = createOutboxPublisher({ ...stack, producer: closed });
      await expect(failing.appendAndPublish(testEvent(tenant, 'd', 2), versionXml('d', 2).gzip)).rejects.toMatchObject({
        code: 'PUBLISH_FAILED',
      });

      // then nothing is announced while the event is only committed
      await new Promise((r) => setTimeout(r, 500));
      expect(listener.changes).toEqual([]);

      // when the relay publishes it, then it is announced once, marked by then
      await stack.publisher.publishAllPending();
      await until('the notice', () => listener.changes.length === 1);
      await new Promise((r) => setTimeout(r, 300)); // a second notice would have come by now
      expect(listener.changes).toEqual([`${tenant}/d`]);
      expect(await Promise.all(listener.marked)).toEqual([true]);

      // and an append that publishes at once is announced once too, marked by then
      await stack.publisher.appendAndPublish(testEvent(tenant, 'd', 3), versionXml('d', 3).gzip);
      await until('the notice', () => listener.changes.length === 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(listener.changes).toEqual([`${tenant}/d`, `${tenant}/d`]);
    } finally {
      await listener.stop();
    }
  });

  it('are sent by the relay for what it published late', async () => {
    // given two versions committed but never published (a publish that failed)
    const listener = await listen();
    try {
      const tenant = newTenantId();
      await commit(stack.ledger, testEvent(tenant, 'late', 1));
      await commit(stack.ledger, testEvent(tenant, 'late', 2));

      // when the relay publishes what is pending
      const result = await stack.publisher.publishAllPending();

      // then the diagram is announced once it is on the topic
      expect(result.failures).toEqual([]);
      await until('the notice', () => listener.changes.includes(`${tenant}/late`));
    } finally {
      await listener.stop();
    }
  });

  it('tell a listener when it is listening again after losing its connection', async () => {
    // given a listener whose connection Postgres ends (as a restart would)
    const listener = await listen();
    try {
      await stack.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN %'`,
      );

      // then it reconnects once, says so, and receives each notice again, once
      await until('listening again', () => listener.listening() >= 2);
      const tenant = newTenantId();
      await announceLedgerChange(stack.pool, tenant, 'after');
      await until('the notice', () => listener.changes.includes(`${tenant}/after`));
      await new Promise((r) => setTimeout(r, 1_500)); // a second reconnect would have happened by now
      expect(listener.listening()).toBe(2);
      expect(listener.changes.filter((c) => c === `${tenant}/after`)).toHaveLength(1);
    } finally {
      await listener.stop();
    }
  });

  it('reach every listener of a process over one shared connection, open while anyone listens', async () => {
    // given two listeners of one notice source, its connection named so that it can be counted
    const name = `notices-${Date.now().toString(36)}`;
    const url = new URL(stack.databaseUrl);
    url.searchParams.set('application_name', name);
    const errors: unknown[] = [];
    const notices = ledgerChangeNotices(url.toString(), (error) => errors.push(error));
    const seen = { a: [] as string[], b: [] as string[] };
    let listening = 0;
    const a = notices.listen({ onChange: (t, d) => seen.a.push(`${t}/${d}`), onListening: () => listening++ });
    const b = notices.listen({ onChange: (t, d) => seen.b.push(`${t}/${d}`), onListening: () => listening++ });
    const connections = async () =>
      (
        await stack.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
          [name],
        )
      ).rows[0]!.n;
    await until('both listening', () => listening === 2);

    // when a change is announced, then one listener stops and another is announced
    expect(await connections()).toBe(1);
    const tenant = newTenantId();
    await announceLedgerChange(stack.pool, tenant, 'first');
    await until('the first notice', () => seen.a.length === 1 && seen.b.length === 1);
    await a.stop();
    await announceLedgerChange(stack.pool, tenant, 'second');
    await until('the second notice', () => seen.b.length === 2);

    // then each listener heard what was announced while it listened, and the last one to stop closed the connection
    expect(seen.a).toEqual([`${tenant}/first`]);
    expect(seen.b).toEqual([`${tenant}/first`, `${tenant}/second`]);
    expect(errors).toEqual([]);
    expect(await connections()).toBe(1);
    await b.stop();
    for (const deadline = Date.now() + 5_000; (await connections()) > 0;) {
      if (Date.now() > deadline) throw new Error('the shared connection is still open');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commit,
  newTenantId,
  openLedgerTestStack,
  testEvent,
  type LedgerTestStack,
} from '../test-support/ledger-test-stack.js';
import { announceLedgerChange, listenForLedgerChanges } from './ledger-changes.js';

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

/** A listener, once its LISTEN is in place. */
async function listen() {
  const changes: string[] = [];
  let listening = 0;
  const listener = listenForLedgerChanges(stack.databaseUrl, {
    onChange: (tenantId, diagramId) => changes.push(`${tenantId}/${diagramId}`),
    onListening: () => listening++,
  });
  await until('listening', () => listening === 1);
  return { changes, listening: () => listening, stop: () => listener.stop() };
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
});

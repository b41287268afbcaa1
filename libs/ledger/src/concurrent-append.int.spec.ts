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
} from './test-support/ledger-test-stack.js';
import { runWorker } from './test-support/spawn-worker.js';

let stack: LedgerTestStack;
beforeAll(async () => {
  stack = await openLedgerTestStack('concurrent-append-test');
});
afterAll(() => stack.close());

describe('concurrent proposals on one base version, from two processes', () => {
  it('applies exactly one of 50; the other 49 get VERSION_MISMATCH with the current version', async () => {
    // given a diagram at version 3
    const tenant = newTenantId();
    for (const v of range(1, 3)) await commit(stack.ledger, testEvent(tenant, 'd1', v));

    // when two processes each fire 25 appends on base version 3 at the same instant
    const startAt = String(Date.now() + 4000);
    const exits = await Promise.all([1, 2].map(() => runWorker(['race', tenant, 'd1', '3', '25', startAt])));

    // then exactly one is applied as version 4, and every other one is told the current version is 4
    for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0 });
    const results = exits.flatMap((e) => e.lines);
    expect(results).toHaveLength(50);
    const applied = results.filter((r) => r.ok);
    expect(applied).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(
      Array.from({ length: 49 }, () => expect.objectContaining({ code: 'VERSION_MISMATCH', currentVersion: 4 })),
    );
    expect(await stack.ledger.currentVersion(tenant, 'd1')).toBe(4);
    const events = await stack.ledger.readEvents(tenant, 'd1', 1);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(events[3]!.transactionId).toBe(applied[0]!.transactionId);

    // and the topic gets the one applied version after the rest
    await stack.publisher.publishPending(tenant, 'd1');
    expect(versionsOnTopic(await readTopic(stack, tenant), 'd1')).toEqual([1, 2, 3, 4]);
  });
});

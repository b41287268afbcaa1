import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerError } from './ledger-error.js';
import { migrateLedger } from './migrations/migrate.js';
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
} from './test-support/ledger-test-stack.js';

let stack: LedgerTestStack;
beforeAll(async () => {
  stack = await openLedgerTestStack('ledger-test');
});
afterAll(() => stack.close());

describe('ledger (Postgres) against the real database', () => {
  it('applies its migrations once, even when several processes start at once', async () => {
    const runs = await Promise.all([migrateLedger(stack.pool), migrateLedger(stack.pool), migrateLedger(stack.pool)]);
    expect(runs.flat()).toEqual([]); // beforeAll already applied them; nobody applies them twice
    const { rows } = await stack.pool.query('SELECT name FROM ledger_migrations ORDER BY name');
    const files = readdirSync(join(import.meta.dirname, '..', 'migrations')).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.name)).toEqual(files.sort());
  });

  it("answers a version's lint count from its key alone, without fetching the row", async () => {
    // given a diagram whose version 2 has two lint warnings, vacuumed (as a restore leaves it)
    const tenant = newTenantId();
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    const warning = {
      elementId: 'p',
      rule: 'label-required',
      message: 'Element is missing label/name',
      line: 0,
      column: 0,
    };
    await stack.ledger.append(testEvent(tenant, 'd1', 2), versionXml('d1', 2).gzip, {
      lintWarnings: [warning, { ...warning, elementId: 'q' }],
    });
    await stack.pool.query('VACUUM ledger_events');

    // when the count is looked up by key (the read model's join), with the index the only way in
    const client = await stack.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      const lookup = `SELECT lint_warning_count FROM ledger_events WHERE tenant_id = $1 AND diagram_id = 'd1' AND version = 2`;
      const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${lookup}`, [tenant]);
      const { rows } = await client.query<{ lint_warning_count: number }>(lookup, [tenant]);
      await client.query('COMMIT');

      // then it is an index-only scan of the key, and the count is the version's
      expect(plan[0]!['QUERY PLAN']).toMatch(/^Index Only Scan using ledger_events_pkey/);
      expect(rows).toEqual([{ lint_warning_count: 2 }]);
    } finally {
      client.release();
    }
  });

  it("keeps versions 1..N of a diagram, readable by range, with every version's XML", async () => {
    // given a diagram with five versions
    const tenant = newTenantId();
    for (const v of range(1, 5)) await commit(stack.ledger, testEvent(tenant, 'd1', v));

    // then the ledger lists, reads and serves them
    expect(await stack.ledger.currentVersion(tenant, 'd1')).toBe(5);
    expect((await stack.ledger.readEvents(tenant, 'd1', 1)).map((e) => e.version)).toEqual(range(1, 5));
    expect((await stack.ledger.readEvents(tenant, 'd1', 2, 4)).map((e) => e.version)).toEqual([2, 3, 4]);
    expect((await stack.ledger.readEvents(tenant, 'd1', 3))[0]).toEqual(testEvent(tenant, 'd1', 3));
    expect(await stack.ledger.getVersionXml(tenant, 'd1', 3)).toBe(versionXml('d1', 3).xml);
    expect(await stack.ledger.getVersionXml(tenant, 'd1', 9)).toBeUndefined();
    expect((await stack.ledger.listVersions(tenant, 'd1')).map((v) => [v.version, v.transactionId])).toEqual(
      range(1, 5).map((v) => [v, `tx-d1-${v}`]),
    );
    expect(await stack.ledger.listDiagrams(tenant)).toEqual([
      expect.objectContaining({ diagramId: 'd1', name: 'Diagram d1', version: 5 }),
    ]);
    expect(await stack.ledger.listDiagrams(newTenantId())).toEqual([]);
  });

  it('refuses a stale base version with VERSION_MISMATCH and the current version, changing nothing', async () => {
    const tenant = newTenantId();
    for (const v of range(1, 3)) await commit(stack.ledger, testEvent(tenant, 'd1', v));
    const stale = testEvent(tenant, 'd1', 3, { transactionId: 'tx-late' }); // made against version 2

    const error = await commit(stack.ledger, stale).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ code: 'VERSION_MISMATCH', currentVersion: 3, retriable: false });
    expect(await stack.ledger.findByTransaction(tenant, 'tx-late')).toBeUndefined();
    expect(await stack.ledger.currentVersion(tenant, 'd1')).toBe(3);
  });

  it('refuses an append to a diagram that does not exist, and a second creation of one that does', async () => {
    const tenant = newTenantId();
    await expect(commit(stack.ledger, testEvent(tenant, 'nope', 2))).rejects.toMatchObject({
      code: 'DIAGRAM_NOT_FOUND',
    });
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    await expect(commit(stack.ledger, testEvent(tenant, 'd1', 1, { transactionId: 'tx-other' }))).rejects.toMatchObject(
      {
        code: 'DIAGRAM_EXISTS',
      },
    );
  });

  it('appends a transaction id once: the second try returns the first result, in the ledger and on the topic', async () => {
    // given a diagram at version 2, published
    const tenant = newTenantId();
    await commit(stack.ledger, testEvent(tenant, 'd1', 1));
    const first = await commit(stack.ledger, testEvent(tenant, 'd1', 2, { transactionId: 'tx-once' }));
    await stack.publisher.publishPending(tenant, 'd1');

    // when the same transaction is proposed again — on the same base, and on the new current version
    const again = await commit(stack.ledger, testEvent(tenant, 'd1', 2, { transactionId: 'tx-once' })).catch(
      (e: unknown) => e,
    );
    const rebased = await commit(stack.ledger, testEvent(tenant, 'd1', 3, { transactionId: 'tx-once' })).catch(
      (e: unknown) => e,
    );
    // and twice at the same moment on a new diagram
    const twins = await Promise.allSettled([
      commit(stack.ledger, testEvent(tenant, 'd2', 1, { transactionId: 'tx-twin' })),
      commit(stack.ledger, testEvent(tenant, 'd3', 1, { transactionId: 'tx-twin' })),
    ]);
    await stack.publisher.publishPending(tenant, 'd1');
    for (const d of ['d2', 'd3']) await stack.publisher.publishPending(tenant, d);

    // then each is refused with the first result, and one event exists per transaction
    for (const e of [again, rebased]) {
      expect(e).toMatchObject({ code: 'DUPLICATE_TRANSACTION', existing: { event: first.event } });
    }
    expect(twins.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    expect(twins.find((t) => t.status === 'rejected')).toMatchObject({ reason: { code: 'DUPLICATE_TRANSACTION' } });
    expect(await stack.ledger.currentVersion(tenant, 'd1')).toBe(2);
    const topic = await readTopic(stack, tenant);
    expect(topic.filter((t) => t.event.transactionId === 'tx-once').map((t) => t.event.version)).toEqual([2]);
    expect(topic.filter((t) => t.event.transactionId === 'tx-twin')).toHaveLength(1);
    expect(versionsOnTopic(topic, 'd1')).toEqual([1, 2]);
  });
});

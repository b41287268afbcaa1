import { afterAll, describe, expect, it } from 'vitest';
import { randomTx } from '../../support/modeling-client.js';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('list-versions');
const alice = clientFor(tenant, 'alice', ['editor']);
const carol = clientFor(tenant, 'carol', ['editor']);
afterAll(() => [alice, carol].forEach((c) => c.close()));

describe('ListVersions', () => {
  it('lists versions 1..N in order, each with its transaction id, actor and time', async () => {
    const txs = [randomTx(), randomTx(), randomTx()];
    const { diagramId } = await alice.createDiagram('Versions', '', txs[0]);
    await carol.propose(diagramId, 1, [task('a', 100)], txs[1]);
    await alice.propose(diagramId, 2, [task('b', 300)], txs[2]);

    const { versions } = await carol.listVersions(diagramId);

    expect(versions.map((v) => ({ version: v.version, transactionId: v.transactionId, actorId: v.actorId }))).toEqual([
      { version: 1, transactionId: txs[0], actorId: 'alice' },
      { version: 2, transactionId: txs[1], actorId: 'carol' },
      { version: 3, transactionId: txs[2], actorId: 'alice' },
    ]);
    const times = versions.map((v) => v.occurredAt.seconds);
    expect(times.every((t) => t > 0)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

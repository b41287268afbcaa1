import { describe, expect, it } from 'vitest';
import { randomTx, type ProposeResult } from '../../support/modeling-client.js';
import { range } from './support/diagram-topic.js';
import { addTask, createDiagramWithRetry, proposeWithRetry } from './support/proposals.js';
import { useTwoProcesses } from './support/two-processes.js';

// DESIGN.md §5 invariant 3 (and 1) through the real service: two proposals on one base version,
// from any number of command-service processes → exactly one is applied.
const both = useTwoProcesses('invariants-concurrent');

describe('50 concurrent proposals on one base version across 2 command-service processes', () => {
  it('applies exactly one; the 49 others are VERSION_MISMATCH carrying the current version', async () => {
    // given a diagram at version 1
    const { diagramId } = await createDiagramWithRetry(both.viaEnvoy, 'race');

    // when 25 proposals go through Envoy (the stack's command service) and 25 straight to a second process, all at once
    const proposals = range(1, 50).map((n) => ({
      n,
      tx: randomTx(),
      client: n % 2 === 0 ? both.viaEnvoy : both.direct,
    }));
    const results = await Promise.all(
      proposals.map(({ n, tx, client }) => proposeWithRetry(client, diagramId, 1, addTask(n), tx)),
    );

    // then one is Applied as version 2, and every other is rejected with current version 2
    const applied = results.flatMap((r, i) => (r.result === 'applied' ? [{ ...r.applied, i }] : []));
    expect(applied).toHaveLength(1);
    expect(applied[0]!.version).toBe(2);
    const rejected = results.filter(
      (r): r is Extract<ProposeResult, { result: 'rejected' }> => r.result === 'rejected',
    );
    expect(rejected).toHaveLength(49);
    for (const r of rejected) {
      expect(r.rejected.code).toBe('REJECT_CODE_VERSION_MISMATCH');
      expect(r.rejected.currentVersion).toBe(2);
    }

    // and the ledger holds versions 1..2 with the winner's transaction, both processes agree
    const winner = proposals[applied[0]!.i]!;
    for (const client of [both.viaEnvoy, both.direct]) {
      const { versions } = await client.listVersions(diagramId);
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
      expect(versions[1]!.transactionId).toBe(winner.tx);
      expect((await client.getDiagram(diagramId)).version).toBe(2);
    }

    // and the topic already carries versions 1 and 2 exactly once, the second being the winner's
    const records = (await both.topic.readAll(both.tenant)).filter((r) => r.event.diagramId === diagramId);
    expect(records.map((r) => r.event.version)).toEqual([1, 2]);
    expect(records[1]!.event.transactionId).toBe(winner.tx);
    expect(records[1]!.event.idMap).toEqual(applied[0]!.idMap);
  });

  it('keeps both processes on the same history when they take turns on a diagram', async () => {
    // given a diagram each process has cached at some version
    const { diagramId } = await createDiagramWithRetry(both.viaEnvoy, 'turns');
    await both.viaEnvoy.getDiagram(diagramId);
    await both.direct.getDiagram(diagramId);

    // when they alternate, each proposing on the version the other just made (their caches go stale every turn)
    for (let base = 1; base <= 8; base++) {
      const client = base % 2 === 0 ? both.viaEnvoy : both.direct;
      const r = await proposeWithRetry(client, diagramId, base, addTask(base));
      expect(r.result, JSON.stringify(r)).toBe('applied');
      if (r.result === 'applied') expect(r.applied.version).toBe(base + 1);
      // and the stale one refuses the old base, naming the new current version
      const stale = await proposeWithRetry(
        client === both.viaEnvoy ? both.direct : both.viaEnvoy,
        diagramId,
        base,
        addTask(100 + base),
      );
      expect(stale.result === 'rejected' && stale.rejected.currentVersion).toBe(base + 1);
    }

    // then both serve the same XML, and ledger and topic hold 1..9 in order
    const [a, b] = await Promise.all([both.viaEnvoy.getDiagram(diagramId), both.direct.getDiagram(diagramId)]);
    expect(a).toEqual(b);
    expect(a.version).toBe(9);
    expect((await both.viaEnvoy.listVersions(diagramId)).versions.map((v) => v.version)).toEqual(range(1, 9));
    // (no waiting: Applied is only sent once the event is on the topic — invariant 2)
    expect(await both.topic.versionsOf(both.tenant, diagramId)).toEqual(range(1, 9));
  });
});

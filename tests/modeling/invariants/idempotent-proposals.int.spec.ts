import { describe, expect, it } from 'vitest';
import { randomTx, type ProposeResult } from '../../support/modeling-client.js';
import { range } from './support/diagram-topic.js';
import { addTask, createDiagramWithRetry, proposeWithRetry, retryingTransientFailures } from './support/proposals.js';
import { useTwoProcesses } from './support/two-processes.js';

// DESIGN.md §5 invariant 4 through the real service: the same transaction_id proposed twice
// returns the first result and appends nothing — one after the other, at once, and across processes.
const both = useTwoProcesses('invariants-idempotent');

/** The parts of an Applied answer a replay must repeat. */
const firstResult = (r: ProposeResult) =>
  r.result === 'applied'
    ? { version: r.applied.version, idMap: r.applied.idMap, lintWarnings: r.applied.lintWarnings }
    : r;

describe('the same transaction_id twice', () => {
  it('sequentially: the second answer equals the first, whatever its base version, and one event exists', async () => {
    // given a diagram and one applied proposal
    const { diagramId } = await createDiagramWithRetry(both.viaEnvoy, 'sequential');
    const tx = randomTx();
    const first = await proposeWithRetry(both.viaEnvoy, diagramId, 1, addTask(1), tx);
    expect(first.result).toBe('applied');

    // when the same transaction is proposed again: same base, through the other process, after a later version, on a stale base
    const again = await proposeWithRetry(both.viaEnvoy, diagramId, 1, addTask(1), tx);
    const elsewhere = await proposeWithRetry(both.direct, diagramId, 1, addTask(1), tx);
    const later = await proposeWithRetry(both.viaEnvoy, diagramId, 2, addTask(2));
    expect(later.result).toBe('applied');
    const afterLater = await proposeWithRetry(both.direct, diagramId, 1, addTask(1), tx);

    // then every answer is the first one
    for (const r of [again, elsewhere, afterLater]) expect(firstResult(r)).toEqual(firstResult(first));

    // and the ledger and the topic hold versions 1..3, the transaction once
    await expectOnce(diagramId, tx, 3);
  });

  it('concurrently in one process and across two: every answer is the first, one event exists', async () => {
    for (const spread of ['one process', 'two processes'] as const) {
      // given a diagram at version 1
      const { diagramId } = await createDiagramWithRetry(both.viaEnvoy, `concurrent, ${spread}`);
      const tx = randomTx();

      // when ten copies of one proposal arrive at once
      const results = await Promise.all(
        range(1, 10).map((i) =>
          proposeWithRetry(
            spread === 'two processes' && i % 2 === 1 ? both.direct : both.viaEnvoy,
            diagramId,
            1,
            addTask(1),
            tx,
          ),
        ),
      );

      // then all ten are Applied as version 2 with the same id map
      const expected = firstResult(results[0]!);
      expect(expected, `${spread}: ${JSON.stringify(results[0])}`).toMatchObject({ version: 2 });
      for (const r of results) expect(firstResult(r), `${spread}: ${JSON.stringify(r)}`).toEqual(expected);

      // and one event was appended, in the ledger and on the topic
      await expectOnce(diagramId, tx, 2);
    }
  });
  it('CreateDiagram, concurrently across two processes: every answer names one diagram, created once', async () => {
    // when six copies of one creation arrive at once, three at each process
    const tx = randomTx();
    const answers = await Promise.all(
      range(1, 6).map((i) =>
        retryingTransientFailures(() =>
          (i % 2 === 0 ? both.viaEnvoy : both.direct).createDiagram('created once', '', tx),
        ),
      ),
    );

    // then all name the same diagram at version 1, and the tenant has it once, in the ledger and on the topic
    const { diagramId } = answers[0]!;
    for (const a of answers) expect(a).toEqual({ diagramId, version: 1 });
    const listed = (await both.viaEnvoy.listDiagrams()).diagrams.filter((d) => d.name === 'created once');
    expect(listed.map((d) => d.diagramId)).toEqual([diagramId]);
    await expectOnce(diagramId, tx, 1);
  });
});

/** Ledger (through both processes) and topic hold versions 1..last once each, `tx` in exactly one of them. */
async function expectOnce(diagramId: string, tx: string, last: number) {
  for (const client of [both.viaEnvoy, both.direct]) {
    const { versions } = await client.listVersions(diagramId);
    expect(versions.map((v) => v.version)).toEqual(range(1, last));
    expect(versions.filter((v) => v.transactionId === tx)).toHaveLength(1);
  }
  const records = (await both.topic.readAll(both.tenant)).filter((r) => r.event.diagramId === diagramId);
  expect(records.map((r) => r.event.version)).toEqual(range(1, last));
  expect(records.filter((r) => r.event.transactionId === tx)).toHaveLength(1);
}

import { describe, expect, it } from 'vitest';
import type { DiagramEvent } from '@flowledger/events';
import { createBatchReplay } from './batch-replay.js';
import { twoVersions } from './diagram-events.fixture.js';
import type { Projection } from './projection.js';
import type { LedgerSource, SnapshotSource } from './projection-sources.js';

// A rebuild checks the hashes of diagrams replayed without XML once per reading round
// (`verifyPending`), not per batch: batches go to builds that serve only after the check.
const noLedger: LedgerSource = {
  readEvents: () => Promise.reject(new Error('no gap expected')),
  getVersionXml: () => Promise.resolve(undefined),
};
const graphLike = (): Projection => ({
  name: 'graph',
  version: 1,
  canHandle: () => true,
  needsXml: () => false,
  sink: { appliedVersion: async () => 0, apply: async () => {}, reset: async () => {} },
});

describe('a rebuild’s batch replay', () => {
  it('hands batches over unchecked and finds a wrong hash when the round is checked', async () => {
    const { created, changed } = await twoVersions();
    const replay = createBatchReplay([graphLike()], noLedger);
    await replay.add(created);
    await replay.add({ ...changed, resultHash: 'f'.repeat(64) });

    const [batch] = replay.takeBatch();

    expect(batch!.map((c) => c.event.version)).toEqual([1, 2]);
    await replay.verifyPending();
    expect(replay.failures).toMatchObject([{ tenantId: 't', diagramId: 'd', version: 2, code: 'HASH_MISMATCH' }]);
    expect([...replay.failedTenants]).toEqual(['t']);
  });

  it('passes a round whose diagrams end in the states their last events name, checking each once', async () => {
    const { created, changed } = await twoVersions();
    const replay = createBatchReplay([graphLike()], noLedger);
    const seen: DiagramEvent[] = [created, changed, { ...changed, transactionId: 'a duplicate' }];
    for (const e of seen) await replay.add(e);
    replay.takeBatch();

    await expect(replay.verifyPending()).resolves.toBeUndefined();
    expect(replay.applied).toBe(2);
    // Checked and cleared: a later wrong event of the same diagram is caught by the next round only.
    expect(replay.failures).toEqual([]);
    await replay.add({ ...changed, version: 3, baseVersion: 2, resultHash: '0'.repeat(64) });
    await replay.verifyPending();
    expect(replay.failures).toMatchObject([{ version: 3, code: 'HASH_MISMATCH' }]);
  });
});

describe('a rebuild’s batch replay of a diagram that cannot be projected', () => {
  const otherTenant = (e: DiagramEvent): DiagramEvent => ({ ...e, tenantId: 'u' });

  it('fails its tenant only: the tenant’s later events are skipped and its changes no longer handed over', async () => {
    const { created, changed } = await twoVersions();
    const replay = createBatchReplay([graphLike()], noLedger);
    const unreplayable: DiagramEvent = {
      ...changed,
      operations: [{ kind: 'updateProperties', elementId: 'nowhere', properties: { name: 'x' } }],
    };
    await replay.add(created);
    await replay.add(otherTenant(created));
    await replay.add(unreplayable);
    await replay.add({ ...changed, diagramId: 'second', version: 1 }); // the same tenant's other diagram
    await replay.add(otherTenant(changed));

    const [batch] = replay.takeBatch();

    expect(replay.failures).toMatchObject([{ tenantId: 't', diagramId: 'd', version: 2, code: 'REPLAY_FAILED' }]);
    expect(replay.skipped).toBe(1);
    expect(batch!.map((c) => [c.event.tenantId, c.event.version])).toEqual([
      ['u', 1],
      ['u', 2],
    ]);
    await replay.finish();
    expect(replay.failures).toHaveLength(1);
  });

  it('still throws what trying again may mend (a ledger out of reach while filling a gap)', async () => {
    const { created, changed } = await twoVersions();
    const replay = createBatchReplay([graphLike()], noLedger);
    await replay.add(created);

    await expect(replay.add({ ...changed, version: 3, baseVersion: 2 })).rejects.toThrow('no gap expected');
    expect(replay.failures).toEqual([]);
  });
});

describe('a rebuild’s batch replay from the latest snapshots', () => {
  const at = (version: number, xml: string): SnapshotSource => ({
    latestSnapshot: async () => ({ version, xml }),
  });

  it('passes the events up to the snapshot on unreplayed and replays the rest', async () => {
    const { created, changed, xml1 } = await twoVersions();
    const replay = createBatchReplay([graphLike()], noLedger, at(1, xml1));
    await replay.add(created);
    await replay.add(changed);

    const [batch] = replay.takeBatch();

    expect(batch!.map((c) => [c.event.version, c.fromSnapshot ?? false])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect([replay.fromSnapshots, replay.replayed, replay.applied]).toEqual([1, 1, 2]);
    await expect(replay.finish()).resolves.toBeUndefined();
  });

  it('looks up the snapshots of the diagrams a read starts in one call, not one per diagram', async () => {
    const { created, changed, xml1 } = await twoVersions();
    const other = (e: DiagramEvent): DiagramEvent => ({ ...e, diagramId: 'other' });
    const lookups: string[][] = [];
    const source: SnapshotSource = {
      latestSnapshot: () => Promise.reject(new Error('looked up one by one')),
      latestSnapshots: async (diagrams) => {
        lookups.push(diagrams.map((d) => d.diagramId));
        return diagrams.map((d) => ({ ...d, version: 1, xml: xml1 }));
      },
    };
    const replay = createBatchReplay([graphLike()], noLedger, source);
    const events = [created, other(created), changed, other(changed)];

    await replay.prefetch(events);
    for (const e of events) await replay.add(e);

    expect(lookups).toEqual([[created.diagramId, 'other']]);
    expect([replay.fromSnapshots, replay.replayed, replay.applied]).toEqual([2, 2, 4]);
    await expect(replay.finish()).resolves.toBeUndefined();
  });

  it('refuses a snapshot that does not hash to its version’s event', async () => {
    const { created, xml2 } = await twoVersions();
    const replay = createBatchReplay([graphLike()], noLedger, at(1, xml2));

    await replay.add(created);

    expect(replay.failures).toMatchObject([{ version: 1, code: 'HASH_MISMATCH' }]);
    expect(replay.failures[0]!.message).toContain('--from-scratch');
    expect(replay.takeBatch()).toEqual([[]]);
  });

  it('refuses a snapshot that cannot be parsed, naming it', async () => {
    const { created } = await twoVersions();
    const replay = createBatchReplay([graphLike()], noLedger, at(1, '<definitions'));

    await replay.add(created);

    expect(replay.failures).toMatchObject([{ version: 1, code: 'STATE_UNAVAILABLE' }]);
    expect(replay.failures[0]!.message).toMatch(/t\/d: its latest snapshot, v1, cannot be read .*--from-scratch/);
  });

  it('fails at the end when the stream stopped short of the snapshot', async () => {
    const { created, xml2 } = await twoVersions();
    const replay = createBatchReplay([graphLike()], noLedger, at(2, xml2));
    await replay.add(created);

    await replay.finish();

    expect(replay.failures).toMatchObject([{ tenantId: 't', diagramId: 'd', version: 1, code: 'STATE_UNAVAILABLE' }]);
  });
});

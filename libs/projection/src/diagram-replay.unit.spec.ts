import { describe, expect, it } from 'vitest';
import { canonicalHash, serializeDiagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import { twoVersions } from './diagram-events.fixture.js';
import { replayEvent, verifyState } from './diagram-replay.js';
import { loadDiagramAt } from './cold-start.js';
import { ProjectionError } from './projection-error.js';

describe('replaying a diagram event', () => {
  it('rebuilds a created diagram and its next version with the hashes the events carry', async () => {
    const { created, changed } = await twoVersions();

    const v1 = await replayEvent(undefined, created, { verify: true });
    const v2 = await replayEvent(v1.diagram, changed, { verify: true });

    expect(canonicalHash(v1.xml!)).toBe(created.resultHash);
    expect(v2.diagram).toBe(v1.diagram); // the previous state is consumed, not copied
    expect(v2.diagram.elementsById.get('Task_2_1')?.$type).toBe('bpmn:Task');
    expect(canonicalHash(v2.xml!)).toBe(changed.resultHash);
  });

  it('refuses a result whose hash differs from the event (HASH_MISMATCH, not retriable)', async () => {
    const { created, changed } = await twoVersions();
    const v1 = await replayEvent(undefined, created, { verify: true });

    const error = await replayEvent(v1.diagram, { ...changed, resultHash: 'f'.repeat(64) }, { verify: true }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ProjectionError);
    expect(error).toMatchObject({ code: 'HASH_MISMATCH', retriable: false });
  });

  it('without verify it skips serializing, and verifyState checks the deferred hash', async () => {
    const { created, changed } = await twoVersions();
    const v1 = await replayEvent(undefined, created, { verify: false });
    const v2 = await replayEvent(v1.diagram, changed, { verify: false });

    expect(v2.xml).toBeUndefined();
    await expect(verifyState(v2.diagram, changed)).resolves.toContain('Task_2_1');
    await expect(verifyState(v2.diagram, created)).rejects.toMatchObject({ code: 'HASH_MISMATCH' });
  });

  it('needs a previous diagram for anything but a created event', async () => {
    const { changed } = await twoVersions();
    await expect(replayEvent(undefined, changed, { verify: true })).rejects.toMatchObject({
      code: 'STATE_UNAVAILABLE',
    });
  });

  it('reports operations that do not apply as REPLAY_FAILED', async () => {
    const { created, changed } = await twoVersions();
    const v1 = await replayEvent(undefined, created, { verify: true });
    const broken: DiagramEvent = {
      ...changed,
      operations: [{ kind: 'deleteElements', elementIds: ['NoSuchElement'] }],
    };
    await expect(replayEvent(v1.diagram, broken, { verify: true })).rejects.toMatchObject({ code: 'REPLAY_FAILED' });
  });

  it('starts a cold diagram from a snapshot plus the ledger tail, or from the ledger XML', async () => {
    const { created, changed, xml1, xml2 } = await twoVersions();
    const ledger = {
      readEvents: async (_t: string, _d: string, from: number, to?: number) =>
        [created, changed].filter((e) => e.version >= from && e.version <= (to ?? 2)),
      getVersionXml: async (_t: string, _d: string, v: number) => (v === 1 ? xml1 : v === 2 ? xml2 : undefined),
    };
    const snapshots = { latestSnapshot: async () => ({ version: 1, xml: xml1 }) };

    const fromSnapshot = await loadDiagramAt('t', 'd', 2, { ledger, snapshots });
    const fromLedger = await loadDiagramAt('t', 'd', 2, { ledger });

    expect(await serializeDiagram(fromSnapshot)).toBe(xml2);
    expect(await serializeDiagram(fromLedger)).toBe(xml2);
    await expect(loadDiagramAt('t', 'd', 3, { ledger })).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
  });
});

/** A created diagram (one task) and a change adding a second task, as the command service records them. */

import { canonicalHash, parseDiagram, seedStoredDiagram, type Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import { diagramKey as keyOf } from './diagram-key.js';
import { replayEvent, verifyState } from './diagram-replay.js';
import type { ProjectedChange, Projection } from './projection.js';
import { ProjectionError, type ProjectionErrorCode } from './projection-error.js';
import type { DiagramRef, LedgerSource, SnapshotSource, StoredSnapshot } from './projection-sources.js';

interface ReplayedDiagram {
  version: number;
  diagram: Diagram | undefined;
  /** The last event replayed but not yet checked against its hash. */
  unverified: DiagramEvent | undefined;
  /** The snapshot the diagram started from: its version and the hash of its XML. */
  start?: { version: number; hash: string };
  /**
   * The snapshot's XML until the diagram's first replayed event: the serializer's cache is filled
   * from it only then, as a diagram whose stream ends at its snapshot is never serialized.
   */
  unseeded?: string;
}

/** A diagram whose stream could not be rebuilt; its tenant keeps what serves it (`switchOver`). */
export interface RebuildFailure {
  tenantId: string;
  diagramId: string;
  /** The version whose event, or the state after it, failed. */
  version: number;
  code: ProjectionErrorCode;
  message: string;
}

/**
 * A rebuild's replay: events (in stream order, duplicates skipped, gaps filled from the ledger)
 * become per-projection change lists, handed over by `takeBatch`; `verifyPending` checks the
 * diagrams replayed without XML. State is kept across batches and across reading rounds.
 *
 * With `snapshots`, a diagram starts from its latest snapshot (DESIGN.md §6: "from the streams +
 * latest snapshot"): the events up to the snapshot's version go to the projections as they come
 * (`fromSnapshot`), without being replayed, and the snapshot must hash to what its version's event
 * says; only the events after it are replayed. `finish` fails a diagram whose stream ended before
 * its snapshot's version (a snapshot of another history: rebuild without snapshots).
 *
 * A diagram that cannot be projected (a non-retriable `ProjectionError`: an event that does not
 * replay, a hash that differs, a gap the ledger cannot fill, a snapshot that cannot serve) fails
 * its tenant, not the rebuild: it is recorded in `failures`, the tenant's later events are skipped
 * and its changes not handed over any more, and the switch leaves what serves it as it is. The
 * live projector likewise sets such a diagram aside and goes on with the others.
 */
export function createBatchReplay(projections: Projection[], ledger: LedgerSource, snapshots?: SnapshotSource) {
  const diagrams = new Map<string, ReplayedDiagram>();
  const unverified = new Set<ReplayedDiagram>();
  let batch: ProjectedChange[][] = projections.map(() => []);
  let pending = 0;
  let applied = 0;
  let fromSnapshots = 0;
  let replayed = 0;
  let skipped = 0;
  const failures: RebuildFailure[] = [];
  const failedTenants = new Set<string>();

  const fail = (tenantId: string, diagramId: string, version: number, error: unknown) => {
    if (!(error instanceof ProjectionError) || error.retriable) throw error;
    failures.push({ tenantId, diagramId, version, code: error.code, message: error.message });
    failedTenants.add(tenantId);
  };

  /** Diagrams about to start, with their latest snapshot (or none) looked up together (`prefetch`). */
  const prefetched = new Map<string, StoredSnapshot | undefined>();

  const startFromSnapshot = async (key: string, state: ReplayedDiagram, event: DiagramEvent) => {
    const snapshot = prefetched.has(key)
      ? prefetched.get(key)
      : await snapshots?.latestSnapshot(event.tenantId, event.diagramId, Number.MAX_SAFE_INTEGER);
    prefetched.delete(key);
    if (!snapshot) return;
    try {
      state.diagram = await parseDiagram(snapshot.xml);
    } catch (error) {
      throw new ProjectionError(
        'STATE_UNAVAILABLE',
        `${event.tenantId}/${event.diagramId}: its latest snapshot, v${snapshot.version}, cannot be read ` +
          `(${(error as Error).message}); rebuild with --from-scratch`,
        false,
        { cause: error },
      );
    }
    state.unseeded = snapshot.xml;
    state.start = { version: snapshot.version, hash: canonicalHash(snapshot.xml) };
    fromSnapshots++;
  };

  /** An event up to the start snapshot: projected as it is, its diagram the snapshot's state. */
  const passOn = (state: ReplayedDiagram, event: DiagramEvent) => {
    if (event.version === state.start!.version && event.resultHash !== state.start!.hash) {
      throw new ProjectionError(
        'HASH_MISMATCH',
        `${event.tenantId}/${event.diagramId}: the snapshot of v${event.version} hashes to ${state.start!.hash}, ` +
          `the event says ${event.resultHash}; rebuild with --from-scratch`,
        false,
      );
    }
    state.version = event.version;
    projections.forEach((p, i) => {
      if (p.canHandle(event)) batch[i]!.push({ event, diagram: state.diagram!, fromSnapshot: true });
    });
    pending++;
    applied++;
  };

  const replayOne = async (state: ReplayedDiagram, event: DiagramEvent) => {
    if (state.start && event.version <= state.start.version) return passOn(state, event);
    replayed++;
    if (state.unseeded !== undefined) {
      await seedStoredDiagram(state.diagram!, state.unseeded);
      state.unseeded = undefined;
    }
    const wanted = projections.map((p) => p.canHandle(event));
    const needsXml = projections.some((p, i) => wanted[i] && (p.needsXml?.(event) ?? true));
    const { diagram, xml } = await replayEvent(state.diagram, event, { verify: needsXml });
    state.diagram = diagram;
    state.version = event.version;
    state.unverified = needsXml ? undefined : event;
    if (needsXml) unverified.delete(state);
    else unverified.add(state);
    projections.forEach((p, i) => {
      if (!wanted[i]) return;
      const withXml = (p.needsXml?.(event) ?? true) ? { xml } : {};
      batch[i]!.push({ event, diagram, ...withXml });
    });
    pending++;
    applied++;
  };

  /** One event in stream order: duplicates skipped, a gap filled from the ledger first. */
  const addEvent = async (event: DiagramEvent): Promise<void> => {
    const key = keyOf(event.tenantId, event.diagramId);
    let state = diagrams.get(key);
    if (!state) {
      diagrams.set(key, (state = { version: 0, diagram: undefined, unverified: undefined }));
      await startFromSnapshot(key, state, event);
    }
    if (event.version <= state.version) return; // a duplicate on the topic
    if (event.version > state.version + 1) {
      const missing = await ledger.readEvents(event.tenantId, event.diagramId, state.version + 1, event.version - 1);
      if (missing.length !== event.version - 1 - state.version) {
        throw new ProjectionError(
          'GAP_UNFILLABLE',
          `${event.tenantId}/${event.diagramId}: v${state.version + 1}..v${event.version - 1} are neither on the topic nor in the ledger`,
          false,
        );
      }
      for (const e of missing) await replayOne(state, e);
    }
    await replayOne(state, event);
  };

  return {
    /**
     * Looks up the latest snapshots of the diagrams these events start, in one round trip
     * instead of one per diagram; `add` then finds them here.
     */
    async prefetch(events: DiagramEvent[]): Promise<void> {
      if (!snapshots?.latestSnapshots) return;
      const starting = new Map<string, DiagramRef>();
      for (const { tenantId, diagramId } of events) {
        const key = keyOf(tenantId, diagramId);
        if (!diagrams.has(key) && !prefetched.has(key)) starting.set(key, { tenantId, diagramId });
      }
      if (starting.size === 0) return;
      const found = await snapshots.latestSnapshots([...starting.values()]);
      for (const key of starting.keys()) prefetched.set(key, undefined);
      for (const { tenantId, diagramId, version, xml } of found)
        prefetched.set(keyOf(tenantId, diagramId), { version, xml });
    },
    /** Replays `event` (filling a gap before it); a failure fails its tenant (`failures`). */
    async add(event: DiagramEvent) {
      if (failedTenants.has(event.tenantId)) {
        skipped++;
        return;
      }
      try {
        await addEvent(event);
      } catch (error) {
        fail(event.tenantId, event.diagramId, event.version, error);
      }
    },
    /**
     * Checks every diagram replayed without XML since the last check against its last event's
     * hash: once per diagram and reading round, not per batch — the builds written meanwhile serve
     * only after the switch, which follows the check, and XML handed to sinks is checked already.
     */
    async verifyPending(): Promise<void> {
      for (const state of unverified) {
        const event = state.unverified;
        state.unverified = undefined;
        if (!event || !state.diagram || failedTenants.has(event.tenantId)) continue;
        try {
          await verifyState(state.diagram, event);
        } catch (error) {
          fail(event.tenantId, event.diagramId, event.version, error);
        }
      }
      unverified.clear();
    },
    /** The last check before a switch: `verifyPending`, and every diagram reached its start snapshot. */
    async finish(): Promise<void> {
      await this.verifyPending();
      for (const [key, state] of diagrams) {
        const [tenantId, diagramId] = key.split('\u0000') as [string, string];
        if (!state.start || state.version >= state.start.version || failedTenants.has(tenantId)) continue;
        const error = new ProjectionError(
          'STATE_UNAVAILABLE',
          `${tenantId}/${diagramId}: the stream ends at v${state.version}, before its latest snapshot ` +
            `v${state.start.version} (a snapshot of another history?); rebuild with --from-scratch`,
          false,
        );
        fail(tenantId, diagramId, state.version, error);
      }
    },
    /** Hands the replayed changes over (not yet checked: `verifyPending`), none of a failed tenant. */
    takeBatch(): ProjectedChange[][] {
      const taken =
        failedTenants.size === 0
          ? batch
          : batch.map((changes) => changes.filter((c) => !failedTenants.has(c.event.tenantId)));
      batch = projections.map(() => []);
      pending = 0;
      return taken;
    },
    get pending() {
      return pending;
    },
    get applied() {
      return applied;
    },
    get diagrams() {
      return diagrams.size;
    },
    /** Diagrams started from a snapshot, and events replayed one by one (the rest were passed on). */
    get fromSnapshots() {
      return fromSnapshots;
    },
    get replayed() {
      return replayed;
    },
    /** What could not be projected, a diagram each; their tenants (`failedTenants`) keep what serves them. */
    get failures(): readonly RebuildFailure[] {
      return failures;
    },
    get failedTenants(): ReadonlySet<string> {
      return failedTenants;
    },
    /** Events of failed tenants read after their failure, not replayed. */
    get skipped() {
      return skipped;
    },
  };
}

import type { Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import { loadDiagramAt } from './cold-start.js';
import { diagramKey } from './diagram-key.js';
import { replayEvent, verifyState } from './diagram-replay.js';
import { DiagramStates } from './diagram-states.js';
import type { ProjectedChange, Projection } from './projection.js';
import { ProjectionError } from './projection-error.js';
import type { LedgerSource, SnapshotSource } from './projection-sources.js';
import { chunkByDiagramSize } from './write-chunks.js';

export interface ChangeProcessorOptions {
  projection: Projection;
  ledger: LedgerSource;
  snapshots?: SnapshotSource;
  /** Diagrams kept in memory (default 2,000). */
  cacheSize?: number;
  /** Seconds each sink write took (`apply`, or `applyBatch` with `events` changes). */
  onApplied?(event: DiagramEvent, seconds: number, events?: number): void;
}

/** What became of one delivered event. */
export interface ProcessOutcome {
  /** `duplicate`: version ≤ applied (re-delivery); `ignored`: the projection does not handle it. */
  result: 'applied' | 'duplicate' | 'ignored';
  /** Versions applied, including those a gap was filled with from the ledger. */
  appliedVersions: number[];
}

/** What became of a batch: each event's outcome, and the diagrams that can never be projected. */
export interface BatchOutcome {
  outcomes: { event: DiagramEvent; outcome: ProcessOutcome }[];
  /** A non-retriable error (HASH_MISMATCH, REPLAY_FAILED, …) of one diagram; its later events were not tried. */
  failures: { event: DiagramEvent; error: ProjectionError }[];
}

export interface ChangeProcessor {
  process(event: DiagramEvent): Promise<ProcessOutcome>;
  /**
   * Many delivered events (any diagrams, e.g. one fetch) in one sink write (`applyBatch`; without
   * it, event by event). Same rules as `process` — skip what the sink has, fill gaps, replay in
   * version order — but each diagram's state is hash-checked once, after its last event in the
   * batch (and at every event whose XML the projection wants), before anything is written.
   * A diagram that fails that check is then retried event by event, so the versions before the
   * bad one are still applied. Retriable errors throw: nothing of the batch was written.
   */
  processBatch(events: DiagramEvent[]): Promise<BatchOutcome>;
  /** Forgets the in-memory state of a diagram (after a failure, or a reset behind our back). */
  forget(tenantId: string, diagramId: string): void;
}

/**
 * One projection's handling of a delivered event, independent of Kafka: skip what the sink has
 * (idempotent under re-delivery and re-ordering), fill a gap from the ledger, replay the
 * operations on the diagram (each result checked against the event's hash) and hand the change
 * to the sink. The sink's applied version is asked whenever the diagram is not in memory at the
 * version before the event's.
 */
export function createChangeProcessor(options: ChangeProcessorOptions): ChangeProcessor {
  const { projection, ledger, snapshots } = options;
  const states = new DiagramStates(options.cacheSize);

  /** Replays `event` on the state at `applied`; only a handled event reaches the sink. */
  const applyOne = async (event: DiagramEvent, applied: number, handled: boolean) => {
    const { tenantId, diagramId } = event;
    const cached = states.get(tenantId, diagramId);
    const previous =
      applied === 0
        ? undefined
        : cached?.version === applied
          ? cached.diagram
          : await loadDiagramAt(tenantId, diagramId, applied, { ledger, snapshots });
    states.delete(tenantId, diagramId); // replay consumes the previous state
    const { diagram, xml } = await replayEvent(previous, event, { verify: true });
    if (handled) {
      const started = performance.now();
      await projection.sink.apply({
        event,
        diagram,
        ...(projection.needsXml?.(event) === false ? {} : { xml }),
      });
      options.onApplied?.(event, (performance.now() - started) / 1000);
    }
    states.set(tenantId, diagramId, { version: event.version, diagram });
  };

  const process = async (event: DiagramEvent, prepared = false): Promise<ProcessOutcome> => {
    if (!prepared) await projection.prepare?.([event]);
    if (!projection.canHandle(event)) return { result: 'ignored', appliedVersions: [] };
    const { tenantId, diagramId } = event;
    // The next version of a diagram held in memory needs no look-up: its state is what the sink has.
    const cached = states.get(tenantId, diagramId);
    let applied =
      cached && event.version <= cached.version + 1
        ? cached.version
        : await projection.sink.appliedVersion(tenantId, diagramId);
    if (event.version <= applied) return { result: 'duplicate', appliedVersions: [] };
    const pending = event.version > applied + 1 ? await fillGap(ledger, event, applied) : [];
    pending.push(event);
    const appliedVersions: number[] = [];
    try {
      for (const e of pending) {
        const handled = projection.canHandle(e);
        await applyOne(e, applied, handled);
        applied = e.version;
        if (handled) appliedVersions.push(e.version);
      }
    } catch (error) {
      states.delete(tenantId, diagramId);
      throw error;
    }
    return { result: 'applied', appliedVersions };
  };

  /** One diagram's events of a batch replayed into `changes` (state consumed; set again after the write). */
  const replayDiagram = async (
    events: DiagramEvent[],
    changes: ProjectedChange[],
    outcomes: BatchOutcome['outcomes'],
  ) => {
    const { tenantId, diagramId } = events[0]!;
    const cached = states.get(tenantId, diagramId);
    let applied =
      cached && events[0]!.version <= cached.version + 1
        ? cached.version
        : await projection.sink.appliedVersion(tenantId, diagramId);
    if (events[events.length - 1]!.version <= applied) {
      for (const event of events) outcomes.push({ event, outcome: { result: 'duplicate', appliedVersions: [] } });
      return undefined;
    }
    states.delete(tenantId, diagramId); // replay consumes it
    let diagram =
      applied === 0
        ? undefined
        : cached?.version === applied
          ? cached.diagram
          : await loadDiagramAt(tenantId, diagramId, applied, { ledger, snapshots });
    let unverified: DiagramEvent | undefined;
    for (const event of events) {
      if (event.version <= applied) {
        outcomes.push({ event, outcome: { result: 'duplicate', appliedVersions: [] } });
        continue;
      }
      const pending = event.version > applied + 1 ? await fillGap(ledger, event, applied) : [];
      pending.push(event);
      const appliedVersions: number[] = [];
      for (const e of pending) {
        const handled = projection.canHandle(e);
        const wantsXml = handled && projection.needsXml?.(e) !== false;
        const replayed = await replayEvent(diagram, e, { verify: wantsXml });
        diagram = replayed.diagram;
        applied = e.version;
        unverified = wantsXml ? undefined : e;
        if (!handled) continue;
        changes.push({ event: e, diagram, ...(wantsXml ? { xml: replayed.xml } : {}) });
        appliedVersions.push(e.version);
      }
      outcomes.push({ event, outcome: { result: 'applied', appliedVersions } });
    }
    // Replay is deterministic: a wrong intermediate state would show in the last one too.
    if (unverified && diagram) await verifyState(diagram, unverified);
    return diagram && { tenantId, diagramId, version: applied, diagram };
  };

  const processBatch = async (events: DiagramEvent[]): Promise<BatchOutcome> => {
    const result: BatchOutcome = { outcomes: [], failures: [] };
    await projection.prepare?.(events);
    const byDiagram = new Map<string, DiagramEvent[]>();
    for (const event of events) {
      if (!projection.canHandle(event)) {
        result.outcomes.push({ event, outcome: { result: 'ignored', appliedVersions: [] } });
        continue;
      }
      const key = diagramKey(event.tenantId, event.diagramId);
      const list = byDiagram.get(key);
      if (list) list.push(event);
      else byDiagram.set(key, [event]);
    }
    const oneByOne: DiagramEvent[][] = [];
    const changes: ProjectedChange[] = [];
    const replayed: { tenantId: string; diagramId: string; version: number; diagram: Diagram }[] = [];
    if (projection.sink.applyBatch) {
      for (const list of byDiagram.values()) {
        list.sort((a, b) => a.version - b.version);
        const mark = { changes: changes.length, outcomes: result.outcomes.length };
        try {
          const state = await replayDiagram(list, changes, result.outcomes);
          if (state) replayed.push(state);
        } catch (error) {
          states.delete(list[0]!.tenantId, list[0]!.diagramId);
          if (!(error instanceof ProjectionError) || error.retriable) throw error;
          // Event by event below finds the first bad version and still applies the ones before it.
          changes.length = mark.changes;
          result.outcomes.length = mark.outcomes;
          oneByOne.push(list);
        }
      }
      // Several writes when the diagrams are large; each is idempotent, so a failure half-way is
      // repaired by the re-delivery that follows (offsets are committed only after all of them).
      for (const chunk of chunkByDiagramSize(changes)) {
        const started = performance.now();
        await projection.sink.applyBatch(chunk);
        options.onApplied?.(chunk[chunk.length - 1]!.event, (performance.now() - started) / 1000, chunk.length);
      }
      for (const s of replayed) states.set(s.tenantId, s.diagramId, { version: s.version, diagram: s.diagram });
    } else {
      oneByOne.push(...byDiagram.values());
    }
    for (const list of oneByOne) {
      for (const event of list) {
        try {
          result.outcomes.push({ event, outcome: await process(event, true) });
        } catch (error) {
          if (!(error instanceof ProjectionError) || error.retriable) throw error;
          result.failures.push({ event, error });
          break;
        }
      }
    }
    return result;
  };

  return {
    process: (event) => process(event),
    processBatch,
    forget: (tenantId, diagramId) => states.delete(tenantId, diagramId),
  };
}

/**
 * The versions between `applied` and `event` the stream skipped, from the ledger. The ledger
 * commits each event before it is published, so a version it lacks will not come: the diagram
 * cannot be projected (not retriable — retrying would hold up every other diagram of the group).
 * A ledger that cannot be read throws its own, retriable, error.
 */
async function fillGap(ledger: LedgerSource, event: DiagramEvent, applied: number): Promise<DiagramEvent[]> {
  const missing = await ledger.readEvents(event.tenantId, event.diagramId, applied + 1, event.version - 1);
  const expected = event.version - 1 - applied;
  if (missing.length !== expected || missing.some((e, i) => e.version !== applied + 1 + i)) {
    throw new ProjectionError(
      'GAP_UNFILLABLE',
      `${event.tenantId}/${event.diagramId}: v${applied + 1}..v${event.version - 1} missing, the ledger has ${missing.length} of ${expected}`,
      false,
    );
  }
  return missing;
}

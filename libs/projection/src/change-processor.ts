import type { DiagramEvent } from '@flowledger/events';
import { loadDiagramAt } from './cold-start.js';
import { replayEvent } from './diagram-replay.js';
import { DiagramStates } from './diagram-states.js';
import type { Projection } from './projection.js';
import { ProjectionError } from './projection-error.js';
import type { LedgerSource, SnapshotSource } from './projection-sources.js';

export interface ChangeProcessorOptions {
  projection: Projection;
  ledger: LedgerSource;
  snapshots?: SnapshotSource;
  /** Diagrams kept in memory (default 2,000). */
  cacheSize?: number;
  /** Seconds each `sink.apply` took, per applied event. */
  onApplied?(event: DiagramEvent, seconds: number): void;
}

/** What became of one delivered event. */
export interface ProcessOutcome {
  /** `duplicate`: version ≤ applied (re-delivery); `ignored`: the projection does not handle it. */
  result: 'applied' | 'duplicate' | 'ignored';
  /** Versions applied, including those a gap was filled with from the ledger. */
  appliedVersions: number[];
}

export interface ChangeProcessor {
  process(event: DiagramEvent): Promise<ProcessOutcome>;
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

  return {
    async process(event) {
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
    },
    forget: (tenantId, diagramId) => states.delete(tenantId, diagramId),
  };
}

/** The versions between `applied` and `event` the stream skipped, from the ledger (which has them first). */
async function fillGap(ledger: LedgerSource, event: DiagramEvent, applied: number): Promise<DiagramEvent[]> {
  const missing = await ledger.readEvents(event.tenantId, event.diagramId, applied + 1, event.version - 1);
  const expected = event.version - 1 - applied;
  if (missing.length !== expected || missing.some((e, i) => e.version !== applied + 1 + i)) {
    throw new ProjectionError(
      'GAP_UNFILLABLE',
      `${event.tenantId}/${event.diagramId}: v${applied + 1}..v${event.version - 1} missing, the ledger has ${missing.length} of ${expected}`,
      true,
    );
  }
  return missing;
}

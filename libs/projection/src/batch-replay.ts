import type { Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import { replayEvent, verifyState } from './diagram-replay.js';
import type { ProjectedChange, Projection } from './projection.js';
import { ProjectionError } from './projection-error.js';
import type { LedgerSource } from './projection-sources.js';

interface ReplayedDiagram {
  version: number;
  diagram: Diagram | undefined;
  /** The last event replayed but not yet checked against its hash. */
  unverified: DiagramEvent | undefined;
}

/**
 * A rebuild's replay: events (in stream order, duplicates skipped, gaps filled from the ledger)
 * become per-projection change lists, handed over by `takeBatch`; `verifyPending` checks the
 * diagrams replayed without XML. State is kept across batches and across reading rounds.
 */
export function createBatchReplay(projections: Projection[], ledger: LedgerSource) {
  const diagrams = new Map<string, ReplayedDiagram>();
  const unverified = new Set<ReplayedDiagram>();
  let batch: ProjectedChange[][] = projections.map(() => []);
  let pending = 0;
  let applied = 0;

  const replayOne = async (state: ReplayedDiagram, event: DiagramEvent) => {
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

  return {
    async add(event: DiagramEvent) {
      const key = `${event.tenantId}\u0000${event.diagramId}`;
      let state = diagrams.get(key);
      if (!state) diagrams.set(key, (state = { version: 0, diagram: undefined, unverified: undefined }));
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
    },
    /**
     * Checks every diagram replayed without XML since the last check against its last event's
     * hash: once per diagram and reading round, not per batch — the builds written meanwhile serve
     * only after the switch, which follows the check, and XML handed to sinks is checked already.
     */
    async verifyPending(): Promise<void> {
      for (const state of unverified) {
        if (state.unverified && state.diagram) await verifyState(state.diagram, state.unverified);
        state.unverified = undefined;
      }
      unverified.clear();
    },
    /** Hands the replayed changes over (not yet checked: `verifyPending`). */
    takeBatch(): ProjectedChange[][] {
      const taken = batch;
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
  };
}

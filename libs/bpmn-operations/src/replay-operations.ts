import { applyOperations } from './apply-operations.js';
import type { Diagram } from './diagram.js';
import type { Operation } from './operation.js';
import type { OperationLimits } from './operation-limits.js';

/** An applied change was accepted under the limits of its day: replaying it must never refuse it. */
export const REPLAY_LIMITS: OperationLimits = {
  maxWaypointsPerConnection: Number.POSITIVE_INFINITY,
  maxElementsPerDiagram: Number.POSITIVE_INFINITY,
  maxStringLength: Number.POSITIVE_INFINITY,
};

/** What an applied change (an event) recorded: the operations as applied, their id map, the version. */
export interface AppliedRecord {
  operations: Operation[];
  /** Temporary id → permanent id, as the proposal named its new elements. */
  idMap: Record<string, string>;
  version: number;
}

/**
 * Replays an applied change on the diagram it was applied to (MUTATES `diagram`), giving the
 * same diagram. The resolved operations name new elements by their permanent ids; applying them
 * as a proposal would treat those as temporary ids, and the permanent id rule looks at the
 * proposal's temporary ids ("taken" ids get `_2`). So each new element gets back the temporary
 * id it was proposed under (`idMap` inverted), and the rule gives the same answers as the first time.
 */
export async function replayOperations(diagram: Diagram, record: AppliedRecord): Promise<void> {
  const proposedAs = new Map(Object.entries(record.idMap).map(([temporary, permanent]) => [permanent, temporary]));
  const operations = record.operations.map((op) =>
    op.kind === 'createShape' || op.kind === 'createConnection' ? { ...op, id: proposedAs.get(op.id) ?? op.id } : op,
  );
  await applyOperations(diagram, operations, { version: record.version, limits: REPLAY_LIMITS });
}

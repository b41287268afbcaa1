import type { Diagram, Operation, OperationLimits } from '@flowledger/bpmn-operations';
import type { CallIds } from '../call-ids.js';
import type { WorkspaceEntry } from '../diagram-workspace.js';

/** The result of applying a proposal's operations to the current diagram. */
export interface EngineResult {
  idMap: Record<string, string>;
  resolved: Operation[];
  /** The resulting diagram, serialized (canonical) and as a model for lint. */
  xml: string;
  model: Diagram;
}

/**
 * Where operations are applied: in this process on the workspace's cached model (the fast
 * path), or by the moddle sidecar on a copy of the XML (stateless, scaled separately).
 * Either throws OperationError for a proposal the core refuses.
 */
export interface OperationEngine {
  readonly name: 'in-process' | 'sidecar';
  apply(
    entry: WorkspaceEntry,
    operations: Operation[],
    context: { version: number; limits: OperationLimits; ids?: CallIds },
  ): Promise<EngineResult>;
}

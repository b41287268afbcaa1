import type { ProposalLimits } from './proposals/proposal-limits.js';

/** The command path's tunables, validated once by the service's config module. */
export interface ModelingSettings {
  limits: ProposalLimits;
  /** `Applied` carries the whole diagram (gzip) when the result is at least this large… */
  snapshotInAppliedBytes: number;
  /** …or the proposal has at least this many operations. */
  snapshotInAppliedOperations: number;
}

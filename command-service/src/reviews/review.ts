import type { Operation } from '@flowledger/bpmn-operations';
import type { Role } from '@flowledger/oidc';
import type { RejectCode, Violation } from '../modeling/rejection.js';

/**
 * A review's life: PENDING → APPROVED → APPLIED | APPLY_FAILED, or PENDING → REJECTED. APPROVED
 * alone means the application has not finished (it failed for a reason of our own, e.g. Postgres
 * down): approving again resumes it.
 */
export type ReviewStatus = 'PENDING' | 'APPROVED' | 'APPLIED' | 'APPLY_FAILED' | 'REJECTED';

/** What applying an approved proposal answered; kept, so a retry and the agent get the same answer. */
export type ReviewOutcome =
  | { kind: 'applied'; version: number; idMap: Record<string, string>; lintWarnings: Violation[] }
  | { kind: 'rejected'; code: RejectCode; message: string; violations: Violation[]; currentVersion: number };

/** An agent's proposal held for a reviewer (one per tenant and transaction id). */
export interface Review {
  tenantId: string;
  reviewId: string;
  diagramId: string;
  /** The version it was validated against: current when it was submitted. */
  baseVersion: number;
  transactionId: string;
  /** The agent, with the roles its token had, and its run. */
  actorId: string;
  actorRoles: Role[];
  runId: string;
  /** As proposed: temporary ids of new elements, re-resolved when applied. */
  operations: Operation[];
  lintWarnings: Violation[];
  submittedAt: Date;
  status: ReviewStatus;
  /** Who decided, when; the approval's idempotency key or the rejection's reason. */
  decision?: { by: string; at: Date; transactionId: string; reason: string };
  outcome?: ReviewOutcome;
}

export type AuditAction = 'SUBMITTED' | 'APPROVED' | 'REJECTED' | 'APPLIED' | 'APPLY_FAILED';

/** One line of the audit log: who did what to which review, when, in which run. */
export interface AuditEntry {
  entryId: string;
  tenantId: string;
  at: Date;
  actorId: string;
  actorKind: 'USER' | 'AGENT';
  action: AuditAction;
  reviewId: string;
  diagramId: string;
  /** SUBMITTED: the version validated against; APPLIED: the version it became; else null. */
  version: number | null;
  runId: string;
  /** REJECTED: the reviewer's reason; APPLY_FAILED: the reject code and message; else empty. */
  reason: string;
}

import type { AuditEntry, Review, ReviewStatus } from './review.js';

/** Where reviews and the audit log are kept (Postgres: review-store.postgres.ts). */
export interface ReviewStore {
  /**
   * Stores a pending review and its SUBMITTED entry in one transaction. A review of the same
   * tenant and transaction id that is already there wins: it is returned and nothing is written.
   */
  submit(review: Review, entry: AuditEntry): Promise<Review>;
  byTransaction(tenantId: string, transactionId: string): Promise<Review | undefined>;
  byId(tenantId: string, reviewId: string): Promise<Review | undefined>;
  /** PENDING reviews, oldest first; of one diagram when given. */
  pending(tenantId: string, diagramId?: string): Promise<Review[]>;
  /**
   * Writes the review's new state with its audit entry, in one transaction, if it still has
   * status `from`; false (and nothing written) when someone else moved it first.
   */
  transition(review: Review, from: ReviewStatus, entry: AuditEntry): Promise<boolean>;
  /** The tenant's entries, oldest first, at most `limit`; of one diagram and/or run when given. */
  auditEntries(tenantId: string, filter: { diagramId?: string; runId?: string; limit: number }): Promise<AuditEntry[]>;
}

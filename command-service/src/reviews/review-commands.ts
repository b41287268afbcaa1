import type { Caller } from '@flowledger/auth';
import type { AppliedResult, ProposeCommand } from '../modeling/proposals/propose.handler.js';
import { Rejection } from '../modeling/rejection.js';
import { decideApproval, decideRejection, settle, type Stamp } from './review-decisions.js';
import { RequestError } from '../grpc-edge/request-error.js';
import { mayReview } from './review-policy.js';
import type { ReviewStore } from './review-store.js';
import type { AuditEntry, Review, ReviewOutcome } from './review.js';

export interface ReviewCommandDependencies {
  store: ReviewStore;
  /** The write path without the review hook: an approved proposal is proposed again through it. */
  propose(caller: Caller, command: ProposeCommand): Promise<AppliedResult>;
  currentVersion(tenantId: string, diagramId: string): Promise<number | undefined>;
  /** Puts new audit entries on the tenant's audit topic; never fails the request. */
  published(tenantId: string): void;
  now: () => Date;
  newId: () => string;
}

const MAX_REASON_LENGTH = 2_000;
const MAX_AUDIT_ENTRIES = 1_000;
/** Another proposal may take the version the approval was about to build on; try again on the next. */
const APPLY_ATTEMPTS = 5;

/** What a reviewer (role `reviewer` or `admin` of the tenant) may do; every method checks it first. */
export class ReviewCommands {
  constructor(private readonly deps: ReviewCommandDependencies) {}

  async pending(reviewer: Caller, diagramId: string): Promise<Review[]> {
    authorize(reviewer);
    return this.deps.store.pending(reviewer.tenantId, diagramId || undefined);
  }

  async auditEntries(reviewer: Caller, filter: { diagramId: string; runId: string }): Promise<AuditEntry[]> {
    authorize(reviewer);
    return this.deps.store.auditEntries(reviewer.tenantId, {
      diagramId: filter.diagramId || undefined,
      runId: filter.runId || undefined,
      limit: MAX_AUDIT_ENTRIES,
    });
  }

  /** Applies the proposal on the current version, as the agent in its run; the review is then decided. */
  async approve(reviewer: Caller, reviewId: string, transactionId: string): Promise<ReviewOutcome> {
    authorize(reviewer);
    if (!transactionId) throw new RequestError('INVALID_ARGUMENT', 'transaction_id is required');
    let review = await this.find(reviewer, reviewId);
    for (;;) {
      const decision = decideApproval(review, transactionId, reviewer, this.stamp());
      if (decision.kind === 'answer') return decision.outcome;
      if (decision.kind === 'resume') return this.apply(review, reviewer);
      if (await this.deps.store.transition(decision.review, 'PENDING', decision.entry)) {
        this.deps.published(reviewer.tenantId);
        return this.apply(decision.review, reviewer);
      }
      review = await this.find(reviewer, reviewId); // decided meanwhile: decide on what is there now
    }
  }

  async reject(reviewer: Caller, reviewId: string, reason: string): Promise<void> {
    authorize(reviewer);
    const why = reason.trim();
    if (!why) throw new RequestError('INVALID_ARGUMENT', 'reason is required');
    if (why.length > MAX_REASON_LENGTH) {
      throw new RequestError('INVALID_ARGUMENT', `reason is at most ${MAX_REASON_LENGTH} characters`);
    }
    let review = await this.find(reviewer, reviewId);
    for (;;) {
      const rejected = decideRejection(review, why, reviewer, this.stamp());
      if (await this.deps.store.transition(rejected.review, 'PENDING', rejected.entry)) break;
      review = await this.find(reviewer, reviewId);
    }
    this.deps.published(reviewer.tenantId);
  }

  private async apply(review: Review, reviewer: Caller): Promise<ReviewOutcome> {
    // The event names the agent and its run; the request and trace are the approval's.
    const agent: Caller = {
      tenantId: review.tenantId,
      actorId: review.actorId,
      roles: review.actorRoles,
      kind: 'agent',
      runId: review.runId,
      requestId: reviewer.requestId,
      traceparent: reviewer.traceparent,
    };
    let outcome: ReviewOutcome | undefined;
    for (let attempt = 1; !outcome; attempt++) {
      const baseVersion = (await this.deps.currentVersion(review.tenantId, review.diagramId)) ?? 0;
      try {
        const applied = await this.deps.propose(agent, {
          diagramId: review.diagramId,
          baseVersion,
          transactionId: review.transactionId,
          operations: review.operations,
        });
        outcome = {
          kind: 'applied',
          version: applied.version,
          idMap: applied.idMap,
          lintWarnings: applied.lintWarnings,
        };
      } catch (error) {
        // Anything but a Rejection (Postgres or Kafka down) leaves it APPROVED: approving again resumes.
        if (!(error instanceof Rejection)) throw error;
        if (error.code === 'VERSION_MISMATCH' && attempt < APPLY_ATTEMPTS) continue;
        const { code, message, violations, currentVersion } = error;
        outcome = { kind: 'rejected', code, message, violations, currentVersion };
      }
    }
    const settled = settle(review, outcome, reviewer, this.stamp());
    if (await this.deps.store.transition(settled.review, 'APPROVED', settled.entry)) {
      this.deps.published(review.tenantId);
      return outcome;
    }
    // A concurrent approval settled it first: its answer is the one on record.
    return (await this.find(reviewer, review.reviewId)).outcome ?? outcome;
  }

  private async find(reviewer: Caller, reviewId: string): Promise<Review> {
    if (!reviewId) throw new RequestError('INVALID_ARGUMENT', 'review_id is required');
    const review = await this.deps.store.byId(reviewer.tenantId, reviewId);
    if (!review) throw new RequestError('NOT_FOUND', `review ${reviewId} not found`);
    return review;
  }

  private stamp(): Stamp {
    return { at: this.deps.now(), entryId: this.deps.newId() };
  }
}

function authorize(caller: Caller): void {
  if (!mayReview(caller)) {
    throw new RequestError('PERMISSION_DENIED', `role(s) ${caller.roles.join(', ')} may not review proposals`);
  }
}

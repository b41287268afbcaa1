import type { Caller } from '@flowledger/auth';
import { Rejection, type Violation } from '../modeling/rejection.js';
import type { AppliedResult, ProposeCommand } from '../modeling/proposals/propose.handler.js';
import { RequestError } from '../grpc-edge/request-error.js';
import type { AuditAction, AuditEntry, Review, ReviewOutcome } from './review.js';

// The review's decisions, pure: time and ids come in as arguments, and the caller stores what
// they return. Each returns the review's next state with the audit entry that records it.

/** When and under which id an entry is written. */
export interface Stamp {
  at: Date;
  entryId: string;
}

export interface Transition {
  review: Review;
  entry: AuditEntry;
}

/** A validated agent proposal becomes a pending review, SUBMITTED by the agent in its run. */
export function submit(
  agent: Caller & { runId: string },
  command: ProposeCommand,
  validated: { version: number; lintWarnings: Violation[] },
  reviewId: string,
  stamp: Stamp,
): Transition {
  const review: Review = {
    tenantId: agent.tenantId,
    reviewId,
    diagramId: command.diagramId,
    baseVersion: validated.version,
    transactionId: command.transactionId,
    actorId: agent.actorId,
    actorRoles: agent.roles,
    runId: agent.runId,
    operations: command.operations,
    lintWarnings: validated.lintWarnings,
    submittedAt: stamp.at,
    status: 'PENDING',
  };
  return { review, entry: entry(review, agent, 'SUBMITTED', stamp, { version: validated.version }) };
}

export type ApprovalDecision =
  | ({ kind: 'approve' } & Transition)
  /** Approved before, but its application did not finish: apply it now. */
  | { kind: 'resume' }
  /** The same approval again (same transaction id): its recorded answer. */
  | { kind: 'answer'; outcome: ReviewOutcome };

export function decideApproval(
  review: Review,
  transactionId: string,
  reviewer: Caller,
  stamp: Stamp,
): ApprovalDecision {
  switch (review.status) {
    case 'PENDING': {
      const decision = { by: reviewer.actorId, at: stamp.at, transactionId, reason: '' };
      const approved: Review = { ...review, status: 'APPROVED', decision };
      return { kind: 'approve', review: approved, entry: entry(approved, reviewer, 'APPROVED', stamp) };
    }
    case 'APPROVED':
      return { kind: 'resume' };
    case 'APPLIED':
    case 'APPLY_FAILED':
      if (review.decision?.transactionId === transactionId && review.outcome) {
        return { kind: 'answer', outcome: review.outcome };
      }
      throw alreadyDecided(review);
    case 'REJECTED':
      throw alreadyDecided(review);
    default:
      return assertNever(review.status);
  }
}

export function decideRejection(review: Review, reason: string, reviewer: Caller, stamp: Stamp): Transition {
  if (review.status !== 'PENDING') throw alreadyDecided(review);
  const rejected: Review = {
    ...review,
    status: 'REJECTED',
    decision: { by: reviewer.actorId, at: stamp.at, transactionId: '', reason },
  };
  return { review: rejected, entry: entry(rejected, reviewer, 'REJECTED', stamp, { reason }) };
}

/** The approved proposal was proposed again on the current version: APPLIED or APPLY_FAILED. */
export function settle(review: Review, outcome: ReviewOutcome, reviewer: Caller, stamp: Stamp): Transition {
  const settled: Review = { ...review, status: outcome.kind === 'applied' ? 'APPLIED' : 'APPLY_FAILED', outcome };
  return outcome.kind === 'applied'
    ? { review: settled, entry: entry(settled, reviewer, 'APPLIED', stamp, { version: outcome.version }) }
    : {
        review: settled,
        entry: entry(settled, reviewer, 'APPLY_FAILED', stamp, { reason: `${outcome.code}: ${outcome.message}` }),
      };
}

/**
 * What the agent gets when it proposes a reviewed transaction again: still waiting
 * (REVIEW_REQUIRED), the approval's Applied or Rejected, or FORBIDDEN with the reviewer's
 * reason. Rejections are thrown, as everywhere on the write path.
 */
export function answerForAgent(review: Review, diagramId: string, currentVersion: number): AppliedResult {
  if (review.diagramId !== diagramId) {
    throw new Rejection('INVALID_OPERATION', `transaction ${review.transactionId} was used for another diagram`);
  }
  const { reviewId } = review;
  switch (review.status) {
    case 'PENDING':
      throw new Rejection(
        'REVIEW_REQUIRED',
        `waiting for a reviewer (review ${reviewId})`,
        [],
        currentVersion,
        reviewId,
      );
    case 'APPROVED':
      throw new Rejection(
        'REVIEW_REQUIRED',
        `approved by ${review.decision?.by ?? 'a reviewer'}, being applied (review ${reviewId})`,
        [],
        currentVersion,
        reviewId,
      );
    case 'REJECTED':
      throw new Rejection(
        'FORBIDDEN',
        `rejected by reviewer ${review.decision?.by ?? ''}: ${review.decision?.reason ?? ''} (review ${reviewId})`,
        [],
        currentVersion,
        reviewId,
      );
    case 'APPLIED':
    case 'APPLY_FAILED': {
      const outcome = review.outcome!;
      if (outcome.kind === 'applied') {
        return {
          version: outcome.version,
          idMap: outcome.idMap,
          lintWarnings: outcome.lintWarnings,
          snapshotGzip: undefined,
        };
      }
      throw new Rejection(outcome.code, outcome.message, outcome.violations, outcome.currentVersion, reviewId);
    }
    default:
      return assertNever(review.status);
  }
}

function entry(
  review: Review,
  actor: Caller,
  action: AuditAction,
  stamp: Stamp,
  extra: { version?: number; reason?: string } = {},
): AuditEntry {
  return {
    entryId: stamp.entryId,
    tenantId: review.tenantId,
    at: stamp.at,
    actorId: actor.actorId,
    actorKind: actor.kind === 'agent' ? 'AGENT' : 'USER',
    action,
    reviewId: review.reviewId,
    diagramId: review.diagramId,
    version: extra.version ?? null,
    runId: review.runId,
    reason: extra.reason ?? '',
  };
}

function alreadyDecided(review: Review): RequestError {
  const by = review.decision ? ` by ${review.decision.by} at ${review.decision.at.toISOString()}` : '';
  return new RequestError(
    'FAILED_PRECONDITION',
    `review ${review.reviewId} was already decided${by}: ${review.status}`,
  );
}

function assertNever(value: never): never {
  throw new Error(`unexpected review status ${String(value)}`);
}

import type { Caller } from '@flowledger/auth';
import type { LedgerPort } from '../modeling/ledger-port.js';
import type { ProposalReviewHook } from '../modeling/proposals/propose.handler.js';
import { Rejection } from '../modeling/rejection.js';
import { answerForAgent, submit } from './review-decisions.js';
import { needsReview, type AgentReviewPolicy } from './review-policy.js';
import type { ReviewStore } from './review-store.js';

export interface ReviewGateDependencies {
  policy: AgentReviewPolicy;
  store: ReviewStore;
  ledger: Pick<LedgerPort, 'findByTransaction' | 'currentVersion'>;
  /** Puts new audit entries on the tenant's audit topic; never fails the request. */
  published(tenantId: string): void;
  now: () => Date;
  newId: () => string;
}

/**
 * The write path's review hook (propose.handler.ts): an agent of a tenant whose policy is
 * `review` gets REVIEW_REQUIRED for a proposal that passed every check, instead of an append;
 * the same transaction again gets its review's answer. Everyone else passes untouched.
 */
export function createReviewGate(deps: ReviewGateDependencies): ProposalReviewHook {
  return {
    async answered(caller, command) {
      if (!needsReview(caller, deps.policy)) return undefined;
      requireRun(caller);
      const review = await deps.store.byTransaction(caller.tenantId, command.transactionId);
      if (!review) return undefined;
      const current = (await deps.ledger.currentVersion(caller.tenantId, command.diagramId)) ?? 0;
      return answerForAgent(review, command.diagramId, current);
    },

    async hold(caller, command, validated) {
      if (!needsReview(caller, deps.policy)) return;
      // Already in the ledger (proposed before the tenant's policy said `review`): the append
      // refuses it as a duplicate and answers with the first result.
      if (await deps.ledger.findByTransaction(caller.tenantId, command.transactionId)) return;
      const submitted = submit(requireRun(caller), command, validated, deps.newId(), {
        at: deps.now(),
        entryId: deps.newId(),
      });
      const stored = await deps.store.submit(submitted.review, submitted.entry);
      if (stored.reviewId === submitted.review.reviewId) deps.published(caller.tenantId);
      // Approved and applied meanwhile (a race with a twin of this proposal): the ledger answers.
      if (stored.status === 'APPLIED') return;
      // Any other state answers with a Rejection: REVIEW_REQUIRED while it waits.
      answerForAgent(stored, command.diagramId, validated.version);
    },
  };
}

function requireRun(caller: Caller): Caller & { runId: string } {
  if (!caller.runId) {
    throw new Rejection(
      'INVALID_OPERATION',
      `the x-run-id header is required: agent proposals of tenant ${caller.tenantId} are reviewed, and each names its run`,
    );
  }
  return { ...caller, runId: caller.runId };
}

import { describe, expect, it } from 'vitest';
import type { Caller } from '@flowledger/auth';
import { Rejection } from '../modeling/rejection.js';
import { answerForAgent, decideApproval, decideRejection, settle, submit } from './review-decisions.js';
import { RequestError } from '../grpc-edge/request-error.js';
import { mayReview, needsReview } from './review-policy.js';
import type { Review, ReviewOutcome } from './review.js';

const caller = (actorId: string, roles: Caller['roles'], runId?: string): Caller => ({
  tenantId: 'acme',
  actorId,
  roles,
  kind: roles.includes('agent') ? 'agent' : 'user',
  runId,
  requestId: undefined,
  traceparent: undefined,
});
const bot = { ...caller('bot', ['agent'], 'run-1'), runId: 'run-1' };
const rita = caller('rita', ['reviewer']);
const at = (minute: number) => ({ at: new Date(Date.UTC(2026, 0, 1, 0, minute)), entryId: `e${minute}` });
const rename = { kind: 'updateProperties' as const, elementId: 'Task_1', properties: { name: 'Check' } };
const applied: ReviewOutcome = { kind: 'applied', version: 8, idMap: {}, lintWarnings: [] };

function pending(): Review {
  const command = { diagramId: 'd1', baseVersion: 7, transactionId: 'tx-1', operations: [rename] };
  return submit(bot, command, { version: 7, lintWarnings: [] }, 'r1', at(0)).review;
}

/** What a thrown Rejection or RequestError says, for table-like expectations. */
function thrown(run: () => unknown): { code: string; reviewId?: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof Rejection) return { code: error.code, reviewId: error.reviewId, message: error.message };
    if (error instanceof RequestError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('the review policy', () => {
  it('holds only agents of tenants whose policy is review; reviewers and admins review', () => {
    const policy = { acme: 'review' as const, other: 'direct' as const };
    expect(needsReview(bot, policy)).toBe(true);
    expect(needsReview({ ...bot, tenantId: 'other' }, policy)).toBe(false);
    expect(needsReview({ ...bot, tenantId: 'unnamed' }, policy)).toBe(false);
    expect(needsReview(caller('ed', ['editor']), policy)).toBe(false);
    expect([rita, caller('ada', ['admin']), caller('ed', ['editor']), bot].map(mayReview)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('review decisions', () => {
  it('given a validated proposal, submitting it is PENDING with a SUBMITTED entry by the agent in its run', () => {
    const { review, entry } = submit(
      bot,
      { diagramId: 'd1', baseVersion: 7, transactionId: 'tx-1', operations: [rename] },
      { version: 7, lintWarnings: [] },
      'r1',
      at(0),
    );
    expect(review).toMatchObject({ status: 'PENDING', baseVersion: 7, actorId: 'bot', actorRoles: ['agent'] });
    expect(entry).toMatchObject({
      action: 'SUBMITTED',
      actorId: 'bot',
      actorKind: 'AGENT',
      runId: 'run-1',
      version: 7,
    });
  });

  it('approving a pending review records the reviewer and the approval key; approving it again resumes', () => {
    const decision = decideApproval(pending(), 'ap-1', rita, at(5));
    expect(decision.kind).toBe('approve');
    if (decision.kind !== 'approve') return;
    expect(decision.review).toMatchObject({ status: 'APPROVED', decision: { by: 'rita', transactionId: 'ap-1' } });
    expect(decision.entry).toMatchObject({ action: 'APPROVED', actorId: 'rita', actorKind: 'USER', runId: 'run-1' });
    expect(decideApproval(decision.review, 'ap-2', rita, at(6))).toEqual({ kind: 'resume' });
  });

  it('a settled review answers the same approval again and refuses any other decision', () => {
    const approved = decideApproval(pending(), 'ap-1', rita, at(5));
    if (approved.kind !== 'approve') throw new Error('setup');
    const { review, entry } = settle(approved.review, applied, rita, at(6));
    expect(entry).toMatchObject({ action: 'APPLIED', version: 8, actorId: 'rita' });

    expect(decideApproval(review, 'ap-1', rita, at(7))).toEqual({ kind: 'answer', outcome: applied });
    expect(thrown(() => decideApproval(review, 'ap-2', rita, at(7))).code).toBe('FAILED_PRECONDITION');
    expect(thrown(() => decideRejection(review, 'no', rita, at(7))).message).toMatch(
      /already decided by rita .*APPLIED/,
    );
  });

  it('a failed application is APPLY_FAILED with the code and message as its reason', () => {
    const approved = decideApproval(pending(), 'ap-1', rita, at(5));
    if (approved.kind !== 'approve') throw new Error('setup');
    const failed: ReviewOutcome = {
      kind: 'rejected',
      code: 'INVALID_OPERATION',
      message: 'no element Task_1',
      violations: [],
      currentVersion: 9,
    };
    const { review, entry } = settle(approved.review, failed, rita, at(6));
    expect(review.status).toBe('APPLY_FAILED');
    expect(entry).toMatchObject({
      action: 'APPLY_FAILED',
      reason: 'INVALID_OPERATION: no element Task_1',
      version: null,
    });
  });

  it('a rejected review keeps its reason and cannot be approved or rejected again', () => {
    const { review, entry } = decideRejection(pending(), 'too broad', rita, at(5));
    expect(entry).toMatchObject({ action: 'REJECTED', reason: 'too broad', actorId: 'rita' });
    expect(thrown(() => decideApproval(review, 'ap-1', rita, at(6))).code).toBe('FAILED_PRECONDITION');
    expect(thrown(() => decideRejection(review, 'again', rita, at(6))).code).toBe('FAILED_PRECONDITION');
  });
});

describe('what the agent gets for a reviewed transaction', () => {
  it('REVIEW_REQUIRED with the review id while pending or being applied', () => {
    expect(thrown(() => answerForAgent(pending(), 'd1', 7))).toMatchObject({ code: 'REVIEW_REQUIRED', reviewId: 'r1' });
    const approved = decideApproval(pending(), 'ap-1', rita, at(5));
    if (approved.kind !== 'approve') throw new Error('setup');
    expect(thrown(() => answerForAgent(approved.review, 'd1', 7))).toMatchObject({
      code: 'REVIEW_REQUIRED',
      message: expect.stringMatching(/approved by rita/),
    });
  });

  it('the approval’s Applied, or its Rejected, or FORBIDDEN with the reviewer’s reason', () => {
    const approved = decideApproval(pending(), 'ap-1', rita, at(5));
    if (approved.kind !== 'approve') throw new Error('setup');
    expect(answerForAgent(settle(approved.review, applied, rita, at(6)).review, 'd1', 8)).toEqual({
      version: 8,
      idMap: {},
      lintWarnings: [],
      snapshotGzip: undefined,
    });
    const rejected = decideRejection(pending(), 'too broad', rita, at(5)).review;
    expect(thrown(() => answerForAgent(rejected, 'd1', 7))).toMatchObject({
      code: 'FORBIDDEN',
      reviewId: 'r1',
      message: expect.stringMatching(/rejected by reviewer rita: too broad/),
    });
  });

  it('INVALID_OPERATION when the transaction id was used for another diagram', () => {
    expect(thrown(() => answerForAgent(pending(), 'd2', 7)).code).toBe('INVALID_OPERATION');
  });
});

import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { operationToProto } from '@flowledger/bpmn-operations';
import type { Caller, TokenVerifier } from '@flowledger/auth';
import { authenticatedCall, RETRY_SAME_TRANSACTION } from '../grpc-edge/authenticated-call.js';
import type { ApproveProposalRequest__Output } from '../gen/flowledger/modeling/v1/ApproveProposalRequest.js';
import type { ApproveProposalResponse } from '../gen/flowledger/modeling/v1/ApproveProposalResponse.js';
import type { ListAuditEntriesRequest__Output } from '../gen/flowledger/modeling/v1/ListAuditEntriesRequest.js';
import type { ListAuditEntriesResponse } from '../gen/flowledger/modeling/v1/ListAuditEntriesResponse.js';
import type { ListPendingProposalsRequest__Output } from '../gen/flowledger/modeling/v1/ListPendingProposalsRequest.js';
import type { ListPendingProposalsResponse } from '../gen/flowledger/modeling/v1/ListPendingProposalsResponse.js';
import type { RejectProposalRequest__Output } from '../gen/flowledger/modeling/v1/RejectProposalRequest.js';
import type { RejectProposalResponse } from '../gen/flowledger/modeling/v1/RejectProposalResponse.js';
import { timestamp } from '../modeling/modeling.grpc.js';
import type { ReviewCommands } from './review-commands.js';
import { REVIEW_DEPENDENCIES } from './review.grpc.js';

export interface ReviewDependencies {
  commands: ReviewCommands;
  verifyToken: TokenVerifier;
}

/**
 * `flowledger.modeling.v1.ReviewService`: authenticates each call (tenant and actor from the
 * token, as ModelingService), maps the wire form to the domain and back, and turns RequestError
 * into the gRPC status of the same name — nothing else.
 */
@Controller()
export class ReviewController {
  constructor(@Inject(REVIEW_DEPENDENCIES) private readonly deps: ReviewDependencies) {}

  @GrpcMethod('ReviewService', 'ListPendingProposals')
  async listPendingProposals(
    request: ListPendingProposalsRequest__Output,
    metadata: Metadata,
  ): Promise<ListPendingProposalsResponse> {
    return this.call(metadata, async (caller) => ({
      proposals: (await this.deps.commands.pending(caller, request.diagramId)).map((r) => ({
        reviewId: r.reviewId,
        diagramId: r.diagramId,
        baseVersion: r.baseVersion,
        transactionId: r.transactionId,
        actorId: r.actorId,
        runId: r.runId,
        operations: r.operations.map(operationToProto),
        submittedAt: timestamp(r.submittedAt),
        lintWarnings: r.lintWarnings,
      })),
    }));
  }

  @GrpcMethod('ReviewService', 'ApproveProposal')
  async approveProposal(request: ApproveProposalRequest__Output, metadata: Metadata): Promise<ApproveProposalResponse> {
    return this.call(metadata, async (caller) => {
      const outcome = await this.deps.commands.approve(caller, request.reviewId, request.transactionId);
      if (outcome.kind === 'applied') {
        const { version, idMap, lintWarnings } = outcome;
        return { applied: { version, idMap, lintWarnings, snapshotGzip: Buffer.alloc(0) } };
      }
      const { code, message, violations, currentVersion } = outcome;
      return {
        rejected: { code: `REJECT_CODE_${code}`, message, violations, currentVersion, reviewId: request.reviewId },
      };
    });
  }

  @GrpcMethod('ReviewService', 'RejectProposal')
  async rejectProposal(request: RejectProposalRequest__Output, metadata: Metadata): Promise<RejectProposalResponse> {
    return this.call(metadata, async (caller) => {
      await this.deps.commands.reject(caller, request.reviewId, request.reason);
      return {};
    });
  }

  @GrpcMethod('ReviewService', 'ListAuditEntries')
  async listAuditEntries(
    request: ListAuditEntriesRequest__Output,
    metadata: Metadata,
  ): Promise<ListAuditEntriesResponse> {
    return this.call(metadata, async (caller) => ({
      entries: (await this.deps.commands.auditEntries(caller, request)).map((e) => ({
        at: timestamp(e.at),
        actorId: e.actorId,
        actorKind: `ACTOR_KIND_${e.actorKind}` as const,
        action: `AUDIT_ACTION_${e.action}` as const,
        reviewId: e.reviewId,
        diagramId: e.diagramId,
        ...(e.version === null ? {} : { version: e.version }),
        runId: e.runId,
        reason: e.reason,
      })),
    }));
  }

  private call<T>(metadata: Metadata, handler: (caller: Caller) => Promise<T>): Promise<T> {
    return authenticatedCall(metadata, this.deps.verifyToken, handler, {
      service: 'review',
      unavailable: RETRY_SAME_TRANSACTION,
    });
  }
}

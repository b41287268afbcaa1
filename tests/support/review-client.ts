import * as grpc from '@grpc/grpc-js';
import { loadStackConfig } from '@flowledger/config';
import { loadProtoPackages } from '@flowledger/protos';
import type { Timestamp, Violation } from './modeling-client.js';

const ReviewService = loadProtoPackages<{
  flowledger: { modeling: { v1: { ReviewService: grpc.ServiceClientConstructor } } };
}>(['flowledger/modeling/v1/review.proto']).flowledger.modeling.v1.ReviewService;

/** `PendingProposal` as proto-loader decodes it (operations in their protobuf form). */
export interface PendingProposalWire {
  reviewId: string;
  diagramId: string;
  baseVersion: number;
  transactionId: string;
  actorId: string;
  runId: string;
  operations: Array<Record<string, unknown>>;
  submittedAt: Timestamp;
  lintWarnings: Violation[];
}

export interface AuditEntryWire {
  at: Timestamp;
  actorId: string;
  actorKind: string;
  action: string;
  reviewId: string;
  diagramId: string;
  version?: number;
  runId: string;
  reason: string;
}

export type ApproveResult =
  | { result: 'applied'; applied: { version: number; idMap: Record<string, string>; lintWarnings: Violation[] } }
  | {
      result: 'rejected';
      rejected: { code: string; message: string; violations: Violation[]; currentVersion: number; reviewId: string };
    };

/** A real gRPC client of `flowledger.modeling.v1.ReviewService`: through Envoy unless `address` names a process. */
export class ReviewClient {
  private readonly stub: grpc.Client & Record<string, (...args: unknown[]) => unknown>;

  constructor(
    private readonly token: string,
    options: { address?: string } = {},
  ) {
    const config = loadStackConfig();
    const address = options.address ?? `${config.host}:${config.edge.port}`;
    this.stub = new ReviewService(address, grpc.credentials.createInsecure()) as unknown as typeof this.stub;
  }

  listPending(diagramId = ''): Promise<PendingProposalWire[]> {
    return this.unary<{ proposals: PendingProposalWire[] }>('ListPendingProposals', { diagramId }).then(
      (r) => r.proposals,
    );
  }

  approve(reviewId: string, transactionId: string): Promise<ApproveResult> {
    return this.unary('ApproveProposal', { reviewId, transactionId });
  }

  reject(reviewId: string, reason: string): Promise<Record<string, never>> {
    return this.unary('RejectProposal', { reviewId, reason });
  }

  auditEntries(filter: { diagramId?: string; runId?: string } = {}): Promise<AuditEntryWire[]> {
    return this.unary<{ entries: AuditEntryWire[] }>('ListAuditEntries', {
      diagramId: filter.diagramId ?? '',
      runId: filter.runId ?? '',
    }).then((r) => r.entries);
  }

  close(): void {
    this.stub.close();
  }

  private unary<T>(method: string, request: unknown): Promise<T> {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${this.token}`);
    return new Promise((resolve, reject) => {
      this.stub[method]!(
        request,
        metadata,
        { deadline: Date.now() + 30_000 },
        (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response)),
      );
    });
  }
}

import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { operationFromProto, operationToProto } from '@flowledger/bpmn-operations';
import type { Caller, TokenVerifier } from '@flowledger/auth';
import { authenticatedCall, RETRY_SAME_TRANSACTION, type EdgeOptions } from '../grpc-edge/authenticated-call.js';
import type { CreateDiagramRequest__Output } from '../gen/flowledger/modeling/v1/CreateDiagramRequest.js';
import type { GetDiagramRequest__Output } from '../gen/flowledger/modeling/v1/GetDiagramRequest.js';
import type { ListVersionsRequest__Output } from '../gen/flowledger/modeling/v1/ListVersionsRequest.js';
import type { ProposeRequest__Output } from '../gen/flowledger/modeling/v1/ProposeRequest.js';
import type { ProposeResponse } from '../gen/flowledger/modeling/v1/ProposeResponse.js';
import type { SubscribeRequest__Output } from '../gen/flowledger/modeling/v1/SubscribeRequest.js';
import { MODELING_DEPENDENCIES, timestamp } from './modeling.grpc.js';
import { createDiagram, type CreateDiagramDependencies } from './proposals/create-diagram.handler.js';
import { propose } from './proposals/propose.handler.js';
import type { DiagramQueries } from './queries/diagram-queries.js';
import { Rejection } from './rejection.js';

export interface ModelingDependencies extends CreateDiagramDependencies {
  queries: DiagramQueries;
  verifyToken: TokenVerifier;
}

/**
 * `flowledger.modeling.v1.ModelingService`: authenticates each call, maps the wire form to the
 * domain and back, and turns typed errors into `Rejected` or a gRPC status — nothing else.
 */
@Controller()
export class ModelingController {
  constructor(@Inject(MODELING_DEPENDENCIES) private readonly deps: ModelingDependencies) {}

  @GrpcMethod('ModelingService', 'CreateDiagram')
  async createDiagram(request: CreateDiagramRequest__Output, metadata: Metadata) {
    return this.call(metadata, (caller) => createDiagram(caller, request, this.deps));
  }

  @GrpcMethod('ModelingService', 'Propose')
  async propose(request: ProposeRequest__Output, metadata: Metadata): Promise<ProposeResponse> {
    return this.call(metadata, async (caller) => {
      try {
        const operations = request.operations.map((op, index) => {
          try {
            return operationFromProto(op as Parameters<typeof operationFromProto>[0]);
          } catch (error) {
            throw new Rejection('INVALID_OPERATION', `operation ${index + 1}: ${(error as Error).message}`);
          }
        });
        const applied = await propose(caller, { ...request, operations }, this.deps);
        return {
          applied: {
            version: applied.version,
            idMap: applied.idMap,
            lintWarnings: applied.lintWarnings,
            snapshotGzip: applied.snapshotGzip ?? Buffer.alloc(0),
          },
        };
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        return {
          rejected: {
            code: `REJECT_CODE_${error.code}`,
            message: error.message,
            violations: error.violations,
            currentVersion: error.currentVersion,
            reviewId: error.reviewId,
          },
        };
      }
    });
  }

  @GrpcMethod('ModelingService', 'GetDiagram')
  async getDiagram(request: GetDiagramRequest__Output, metadata: Metadata) {
    return this.call(metadata, (caller) => this.deps.queries.getDiagram(caller, request.diagramId, request.version));
  }

  @GrpcMethod('ModelingService', 'ListDiagrams')
  async listDiagrams(_request: unknown, metadata: Metadata) {
    return this.call(metadata, async (caller) => ({
      diagrams: (await this.deps.queries.listDiagrams(caller)).map((d) => ({
        ...d,
        updatedAt: timestamp(d.updatedAt),
      })),
    }));
  }

  @GrpcMethod('ModelingService', 'ListVersions')
  async listVersions(request: ListVersionsRequest__Output, metadata: Metadata) {
    return this.call(metadata, async (caller) => ({
      versions: (await this.deps.queries.listVersions(caller, request.diagramId)).map((v) => ({
        ...v,
        occurredAt: timestamp(v.occurredAt),
      })),
    }));
  }

  @GrpcMethod('ModelingService', 'Subscribe')
  subscribe(request: SubscribeRequest__Output, metadata: Metadata): Observable<unknown> {
    return new Observable((subscriber) => {
      const abort = new AbortController();
      void this.call(metadata, async (caller) => {
        for await (const event of this.deps.queries.subscribe(
          caller,
          request.diagramId,
          request.fromVersion,
          abort.signal,
        )) {
          subscriber.next({
            version: event.version,
            transactionId: event.transactionId,
            actorId: event.actorId,
            operations: event.operations.map(operationToProto),
            idMap: event.idMap,
          });
        }
      }).then(
        () => subscriber.complete(),
        (error: unknown) => subscriber.error(error),
      );
      return () => abort.abort();
    });
  }

  private call<T>(metadata: Metadata, handler: (caller: Caller) => Promise<T>): Promise<T> {
    return authenticatedCall(metadata, this.deps.verifyToken, handler, MODELING_EDGE);
  }
}

const MODELING_EDGE: EdgeOptions = {
  service: 'modeling',
  unavailable: RETRY_SAME_TRANSACTION,
  // A Rejection outside Propose (e.g. from a shared step of CreateDiagram): its closest status.
  mapError(error) {
    if (!(error instanceof Rejection)) return undefined;
    const code =
      error.code === 'NOT_FOUND'
        ? GrpcStatus.NOT_FOUND
        : error.code === 'FORBIDDEN'
          ? GrpcStatus.PERMISSION_DENIED
          : GrpcStatus.INVALID_ARGUMENT;
    return new RpcException({ code, message: error.message });
  },
};

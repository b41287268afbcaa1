import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import type { HealthCheckRequest__Output as HealthCheckRequest } from '../gen/grpc/health/v1/HealthCheckRequest.js';
import type { HealthCheckResponse__Output as HealthCheckResponse } from '../gen/grpc/health/v1/HealthCheckResponse.js';
import { SERVING_STATUS_BOARD } from './health.grpc.js';
import type { ServingStatusBoard } from './serving-status-board.js';

/** `grpc.health.v1.Health`, answered from the ServingStatusBoard. */
@Controller()
export class HealthController {
  constructor(@Inject(SERVING_STATUS_BOARD) private readonly board: ServingStatusBoard) {}

  @GrpcMethod('Health', 'Check')
  check(request: HealthCheckRequest): HealthCheckResponse {
    const service = request.service ?? '';
    const status = this.board.statusOf(service);
    if (status === undefined) {
      throw new RpcException({ code: GrpcStatus.NOT_FOUND, message: `unknown service "${service}"` });
    }
    return { status };
  }

  /**
   * Sends the current status and keeps the stream open, as the protocol asks. Statuses do not
   * change at run time yet, so no further message follows; the stream ends when the client cancels.
   */
  @GrpcMethod('Health', 'Watch')
  watch(request: HealthCheckRequest): Observable<HealthCheckResponse> {
    const service = request.service ?? '';
    return new Observable<HealthCheckResponse>((subscriber) => {
      subscriber.next({ status: this.board.statusOf(service) ?? 'SERVICE_UNKNOWN' });
    });
  }
}

import * as grpc from '@grpc/grpc-js';

export type QueryErrorCode = 'NOT_FOUND' | 'INVALID_ARGUMENT' | 'PERMISSION_DENIED' | 'UNIMPLEMENTED' | 'UNAVAILABLE';

/** A query that cannot be answered, with a stable code; mapped to a gRPC status only at the edge. */
export class QueryError extends Error {
  constructor(
    readonly code: QueryErrorCode,
    message: string,
    readonly retriable = code === 'UNAVAILABLE',
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export const GRPC_STATUS: Record<QueryErrorCode | 'UNAUTHENTICATED', grpc.status> = {
  NOT_FOUND: grpc.status.NOT_FOUND,
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  UNIMPLEMENTED: grpc.status.UNIMPLEMENTED,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
};

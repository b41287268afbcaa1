import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { authenticate, AuthenticationError, type Caller, type TokenVerifier } from '@flowledger/auth';
import { logger } from '../observability/logger.js';
import { RequestError } from './request-error.js';

/** A retry with the same transaction id is safe: it answers the first result if there was one. */
export const RETRY_SAME_TRANSACTION = (requestId: string | undefined): string =>
  `temporarily unavailable, retry with the same transaction_id (request ${requestId ?? 'unknown'})`;

export interface EdgeOptions {
  /** Names the service in the log line of an unexpected failure. */
  service: string;
  /** What an unexpected failure tells the client (it is answered UNAVAILABLE). */
  unavailable(requestId: string | undefined): string;
  /** The service's own typed errors as a gRPC status; undefined for the others. */
  mapError?(error: unknown): RpcException | undefined;
}

/**
 * Every RPC of the command service: reads the caller from the metadata (verified token,
 * agreeing headers), runs the handler, and maps what it throws to a gRPC status — the only
 * place typed errors meet gRPC (STYLE: mapped to gRPC status only at the edge).
 */
export async function authenticatedCall<T>(
  metadata: Metadata,
  verifyToken: TokenVerifier,
  handler: (caller: Caller) => Promise<T>,
  options: EdgeOptions,
): Promise<T> {
  const read = (key: string) => {
    const value = metadata.get(key)[0];
    return value === undefined ? undefined : String(value);
  };
  try {
    return await handler(await authenticate(read, verifyToken));
  } catch (error) {
    throw toRpcException(error, read('x-request-id'), options);
  }
}

function toRpcException(error: unknown, requestId: string | undefined, options: EdgeOptions): RpcException {
  if (error instanceof RpcException) return error;
  if (error instanceof AuthenticationError) {
    const code = error.retriable ? GrpcStatus.UNAVAILABLE : GrpcStatus.UNAUTHENTICATED;
    return new RpcException({ code, message: error.message });
  }
  if (error instanceof RequestError) return new RpcException({ code: GrpcStatus[error.code], message: error.message });
  const mapped = options.mapError?.(error);
  if (mapped) return mapped;
  logger.error({ err: error, request_id: requestId }, `unexpected ${options.service} failure`);
  return new RpcException({ code: GrpcStatus.UNAVAILABLE, message: options.unavailable(requestId) });
}

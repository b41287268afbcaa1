/** The caller could not be established; mapped to gRPC UNAUTHENTICATED at the edge. */
export class AuthenticationError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(
    message: string,
    readonly retriable = false,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

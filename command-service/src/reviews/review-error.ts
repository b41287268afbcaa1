/**
 * A ReviewService request refused: not a reviewer, no such review in the caller's tenant, a
 * review already decided, a missing field. Mapped to the gRPC status of the same name at the edge.
 */
export class ReviewError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'PERMISSION_DENIED' | 'FAILED_PRECONDITION',
    message: string,
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}

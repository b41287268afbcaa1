/**
 * A request that is not a proposal and is refused (CreateDiagram's bad import, a read of an
 * unknown diagram, a viewer creating, a review already decided): mapped to the gRPC status of
 * the same name at the edge (authenticated-call.ts).
 */
export class RequestError extends Error {
  readonly retriable = false;
  constructor(
    readonly code:
      'INVALID_ARGUMENT' | 'NOT_FOUND' | 'PERMISSION_DENIED' | 'RESOURCE_EXHAUSTED' | 'FAILED_PRECONDITION',
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

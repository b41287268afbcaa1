/**
 * A request that is not a proposal and is refused (CreateDiagram's bad import, a read of an
 * unknown diagram, a viewer creating): mapped to the matching gRPC status at the edge.
 */
export class RequestError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'PERMISSION_DENIED' | 'RESOURCE_EXHAUSTED',
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

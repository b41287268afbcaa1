export type EventErrorCode =
  /** The registry could not be reached or answered 5xx: try again later. */
  | 'REGISTRY_UNAVAILABLE'
  /** The registry refused the schema under the subject's compatibility rule. */
  | 'SCHEMA_INCOMPATIBLE'
  /** The event does not fit the schema (a bug in the producer, never retried). */
  | 'INVALID_EVENT'
  /** The bytes are not a Confluent-framed record of a schema this reader understands. */
  | 'UNDECODABLE_RECORD';

export class EventError extends Error {
  override readonly name = 'EventError';
  constructor(
    readonly code: EventErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

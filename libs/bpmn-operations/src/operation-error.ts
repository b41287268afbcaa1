/** Why a proposal cannot be applied; the codes are the contract's RejectCode names (DESIGN.md §3). */
export type OperationErrorCode = 'INVALID_OPERATION' | 'LIMIT_EXCEEDED';

/** The contract's `Violation`: `line`/`column` are 1-based, 0 when unknown. */
export interface OperationViolation {
  elementId: string;
  rule: string;
  message: string;
  line: number;
  column: number;
}

/**
 * A proposal the pure core refuses. Never retriable: the same operations against the same
 * diagram fail the same way. `operationIndex` is the 0-based position of the failing operation.
 */
export class OperationError extends Error {
  readonly retriable = false;

  constructor(
    readonly code: OperationErrorCode,
    message: string,
    readonly violations: OperationViolation[] = [],
    readonly operationIndex?: number,
  ) {
    super(message);
    this.name = 'OperationError';
  }
}

/** Shorthand for the common case: an operation that does not fit the diagram. */
export function invalidOperation(message: string, elementId = '', rule = 'invalid-operation'): OperationError {
  return new OperationError('INVALID_OPERATION', message, [{ elementId, rule, message, line: 0, column: 0 }]);
}

export function limitExceeded(message: string, elementId = ''): OperationError {
  return new OperationError('LIMIT_EXCEEDED', message, [
    { elementId, rule: 'limit-exceeded', message, line: 0, column: 0 },
  ]);
}

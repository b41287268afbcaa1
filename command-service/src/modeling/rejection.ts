/** The contract's reject codes (`flowledger.modeling.v1.RejectCode` without its prefix). */
export type RejectCode =
  | 'VERSION_MISMATCH'
  | 'XSD_INVALID'
  | 'LINT_ERROR'
  | 'INVALID_OPERATION'
  | 'LIMIT_EXCEEDED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'REVIEW_REQUIRED';

export interface Violation {
  elementId: string;
  rule: string;
  message: string;
  line: number;
  column: number;
}

/** A proposal the service refuses: becomes `Rejected` on the wire, and changes nothing. */
export class Rejection extends Error {
  readonly retriable = false;
  constructor(
    readonly code: RejectCode,
    message: string,
    readonly violations: Violation[] = [],
    readonly currentVersion = 0,
    /** The review holding (or that held) the proposal: REVIEW_REQUIRED and answers about reviewed proposals. */
    readonly reviewId = '',
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

export function violation(partial: Partial<Violation> & { message: string }): Violation {
  return { elementId: '', rule: '', line: 0, column: 0, ...partial };
}

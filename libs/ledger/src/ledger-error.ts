import type { LedgerEntry } from './ledger-entry.js';

export type LedgerErrorCode =
  /** The proposal's base version is not the diagram's current version (`currentVersion`). */
  | 'VERSION_MISMATCH'
  /** The transaction id was used before; `existing` is what it produced. */
  | 'DUPLICATE_TRANSACTION'
  | 'DIAGRAM_NOT_FOUND'
  | 'DIAGRAM_EXISTS'
  /** The event is malformed for the ledger (a bug in the caller). */
  | 'INVALID_EVENT'
  /** Postgres is unreachable, or a transient conflict (serialization, deadlock) aborted the work. */
  | 'STORE_UNAVAILABLE'
  /** The database refused the work for a reason that retrying will not change. */
  | 'STORE_FAILED'
  /** Kafka or the schema registry did not take the event; it stays in the outbox for the relay. */
  | 'PUBLISH_FAILED'
  /** What is on the topic contradicts the ledger (should never happen; needs an operator). */
  | 'TOPIC_DIVERGED';

export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  readonly code: LedgerErrorCode;
  readonly retriable: boolean;
  readonly currentVersion?: number;
  readonly existing?: LedgerEntry;

  constructor(
    code: LedgerErrorCode,
    message: string,
    details: { retriable?: boolean; currentVersion?: number; existing?: LedgerEntry; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.code = code;
    this.retriable = details.retriable ?? false;
    if (details.currentVersion !== undefined) this.currentVersion = details.currentVersion;
    if (details.existing !== undefined) this.existing = details.existing;
  }
}

const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006']);

/** Wraps what is not already a LedgerError: transient database failures are retriable. */
export function toLedgerError(err: unknown, what: string): LedgerError {
  if (err instanceof LedgerError) return err;
  const code = (err as { code?: string }).code;
  const transient =
    (code !== undefined && TRANSIENT_SQLSTATES.has(code)) ||
    /ECONNREFUSED|ECONNRESET|terminat|Connection|timeout/i.test(String((err as Error)?.message));
  return new LedgerError(
    transient ? 'STORE_UNAVAILABLE' : 'STORE_FAILED',
    `${what}: ${(err as Error)?.message ?? err}`,
    {
      retriable: transient,
      cause: err,
    },
  );
}

/** Stable codes of what can go wrong while projecting; `retriable` says whether trying again can help. */
export type ProjectionErrorCode =
  /** Replaying an event did not give the diagram its `resultHash` names. */
  | 'HASH_MISMATCH'
  /** The operations of an event could not be replayed on the previous version. */
  | 'REPLAY_FAILED'
  /** A version the stream skipped is not in the ledger either (which has every published event first). */
  | 'GAP_UNFILLABLE'
  /** The state a diagram's replay must start from is missing. */
  | 'STATE_UNAVAILABLE'
  /** A rebuild waited longer than its freeze wait limit for a lock its live writer takes (something holds it). */
  | 'FREEZE_TIMEOUT';

/**
 * A rebuild's wait for its live writer's lock ran out (`FREEZE_TIMEOUT`): `what` names the store
 * and the lock, `holders` who holds it; the message names the limit and its setting.
 */
export function freezeTimeout(what: string, waitMs: number, holders: string, cause?: unknown): ProjectionError {
  return new ProjectionError(
    'FREEZE_TIMEOUT',
    `${what} was not free within ${waitMs / 1000} s ` +
      `(the rebuild's freeze wait limit, FLOWLEDGER_REBUILD_FREEZE_WAIT_MS); ${holders}`,
    true,
    { cause },
  );
}

export class ProjectionError extends Error {
  constructor(
    readonly code: ProjectionErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProjectionError';
  }
}

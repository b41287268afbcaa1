/**
 * Fault injection for crash tests: when `FLOWLEDGER_CRASH_AT` names a point, the process kills
 * itself with SIGKILL there — no cleanup, no flushing, like a power cut. Unset in production.
 *   ledger:after-commit  the event is committed in Postgres, nothing was sent to Kafka
 *   outbox:after-ack     Kafka acknowledged the event, the ledger has not marked it published
 */
export type CrashPoint = 'ledger:after-commit' | 'outbox:after-ack';

export function crashPoint(point: CrashPoint): void {
  if (process.env.FLOWLEDGER_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}

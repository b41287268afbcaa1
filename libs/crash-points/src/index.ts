/**
 * Fault injection for crash tests: when `FLOWLEDGER_CRASH_AT` names a point, the process kills
 * itself with SIGKILL there — no cleanup, no flushing, like a power cut. Unset in production.
 *
 * The command path (libs/ledger):
 *   ledger:after-commit                the event is committed in Postgres, nothing was sent to Kafka
 *   outbox:after-ack                   Kafka acknowledged the event, the ledger has not marked it published
 * The read side (libs/projection, projectors):
 *   projector:after-write              a fetched set is written to the read model, its offsets not committed
 *   postgres-projection:before-commit  a batch's rows are written in its transaction, not committed
 *   neo4j-projection:before-commit     a batch's graph writes ran in their transaction, not committed
 * The snapshotter:
 *   snapshot-archive:before-rename     a snapshot's file is written under its temporary name
 *   snapshotter:after-archive          the file is in place, its row not stored
 *   snapshotter:after-store            the row (and progress) committed, the snapshot not announced
 */
export type CrashPoint =
  | 'ledger:after-commit'
  | 'outbox:after-ack'
  | 'projector:after-write'
  | 'postgres-projection:before-commit'
  | 'neo4j-projection:before-commit'
  | 'snapshot-archive:before-rename'
  | 'snapshotter:after-archive'
  | 'snapshotter:after-store';

export function crashPoint(point: CrashPoint): void {
  if (process.env.FLOWLEDGER_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}

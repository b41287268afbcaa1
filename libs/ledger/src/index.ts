export { createLedger, type AppendOptions, type Ledger, type LedgerOptions } from './ledger.js';
export type { DiagramSummary, KafkaPosition, LedgerEntry, LintWarning, VersionSummary } from './ledger-entry.js';
export { LedgerError, type LedgerErrorCode } from './ledger-error.js';
export { inTransaction } from './transaction.js';
export { migrateLedger, runMigrations, type MigrationSet } from './migrations/migrate.js';
export {
  createOutboxPublisher,
  type OutboxPublisher,
  type OutboxPublisherOptions,
  type PublishedEvent,
  type SweepResult,
} from './outbox/outbox-publisher.js';
export type { Relay, RelayOptions } from './outbox/relay.js';
export {
  announceLedgerChange,
  ledgerChangeNotices,
  listenForLedgerChanges,
  type LedgerChangeListener,
} from './notices/ledger-changes.js';
export { listenToChannel, notifyChannel, type ChannelListener } from './notices/postgres-channel.js';

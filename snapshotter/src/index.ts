export { buildSnapshotter, type SnapshotterParts } from './snapshotter-wiring.js';
export { loadSnapshotterConfig, DEFAULT_ARCHIVE_DIR, type SnapshotterConfig } from './snapshotter-config.js';
export { createSnapshotStore, type SnapshotStore, type StoredSnapshot, type NewSnapshot } from './snapshot-store.js';
export { createSnapshotSource } from './snapshot-source.js';
export { createSnapshotArchive, snapshotArchivePath, type SnapshotArchive } from './snapshot-archive.js';
export { migrateSnapshots } from './snapshot-migrations.js';
export {
  DEFAULT_SNAPSHOT_POLICY,
  isSnapshotDue,
  mayBeDue,
  snapshotInterval,
  validatePolicy,
  type SnapshotPolicy,
} from './snapshot-policy.js';
export { snapshotProjection, SNAPSHOT_PROJECTION_VERSION } from './snapshot-projection.js';
export { snapshotSize, snapshotWriteDuration } from './snapshot-metrics.js';
export { createTenantPolicies, setTenantSnapshotPolicy, type TenantPolicies } from './tenant-policies.js';

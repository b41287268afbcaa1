/**
 * What other components read of the snapshot store (the command service's cold starts, `rebuild`), without
 * the snapshotter's service wiring: importing the package's index would also set up its metrics.
 */
export { createSnapshotSource } from './snapshot-source.js';
export { createSnapshotStore, type SnapshotStore } from './snapshot-store.js';

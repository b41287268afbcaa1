import { gunzipSync } from 'node:zlib';
import type { SnapshotSource } from '@flowledger/projection';
import type { SnapshotStore, StoredSnapshot } from './snapshot-store.js';

/**
 * The snapshot store as the projector runner's `SnapshotSource` (cold diagrams and rebuilds
 * start from it). Before the snapshotter has ever run its table does not exist: then there is no
 * snapshot, not an error.
 */
export function createSnapshotSource(store: SnapshotStore): SnapshotSource {
  return {
    async latestSnapshot(tenantId, diagramId, atOrBefore) {
      const s = await store.latest(tenantId, diagramId, atOrBefore).catch(noTable(undefined));
      return s && { version: s.version, xml: xmlOf(s) };
    },
    async latestSnapshots(diagrams) {
      const found = await store.latestOfEach(diagrams).catch(noTable([]));
      return found.map((s) => ({ tenantId: s.tenantId, diagramId: s.diagramId, version: s.version, xml: xmlOf(s) }));
    },
  };
}

function xmlOf(s: StoredSnapshot): string {
  return gunzipSync(s.xmlGz).toString('utf8');
}

/** What a read gives before the snapshotter has made its table (42P01, undefined_table). */
function noTable<T>(none: T) {
  return (error: unknown): T => {
    if ((error as { code?: string }).code === '42P01') return none;
    throw error;
  };
}

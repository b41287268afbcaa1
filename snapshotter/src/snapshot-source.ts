import { gunzipSync } from 'node:zlib';
import type { SnapshotSource } from '@flowledger/projection';
import type { SnapshotStore } from './snapshot-store.js';

/**
 * The snapshot store as the projector runner's `SnapshotSource` (cold diagrams and rebuilds
 * start from it). Before the snapshotter has ever run its table does not exist: then there is no
 * snapshot, not an error.
 */
export function createSnapshotSource(store: SnapshotStore): SnapshotSource {
  return {
    async latestSnapshot(tenantId, diagramId, atOrBefore) {
      const s = await store.latest(tenantId, diagramId, atOrBefore).catch((error: unknown) => {
        if ((error as { code?: string }).code === '42P01') return undefined; // undefined_table
        throw error;
      });
      return s && { version: s.version, xml: gunzipSync(s.xmlGz).toString('utf8') };
    },
  };
}

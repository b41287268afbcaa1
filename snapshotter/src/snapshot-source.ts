import { gunzipSync } from 'node:zlib';
import type { SnapshotSource } from '@flowledger/projection';
import type { SnapshotStore } from './snapshot-store.js';

/** The snapshot store as the projector runner's `SnapshotSource` (cold diagrams start from it). */
export function createSnapshotSource(store: SnapshotStore): SnapshotSource {
  return {
    async latestSnapshot(tenantId, diagramId, atOrBefore) {
      const s = await store.latest(tenantId, diagramId, atOrBefore);
      return s && { version: s.version, xml: gunzipSync(s.xmlGz).toString('utf8') };
    },
  };
}

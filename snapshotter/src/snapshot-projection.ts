import type { Projection } from '@flowledger/projection';
import { mayBeDue, type SnapshotPolicy } from './snapshot-policy.js';
import type { SnapshotSink } from './snapshot-sink.js';

/** Bump when the snapshot format or policy changes in a way that needs a rebuild. */
export const SNAPSHOT_PROJECTION_VERSION = 1;

/**
 * Every event moves a diagram on, so the snapshotter handles them all; it needs the XML only at
 * versions that can be snapshot versions, which keeps a rebuild from serializing every version.
 */
export function snapshotProjection(
  sink: SnapshotSink,
  policy: SnapshotPolicy,
  version = SNAPSHOT_PROJECTION_VERSION,
): Projection {
  return {
    name: 'snapshots',
    version,
    canHandle: () => true,
    needsXml: (event) => mayBeDue(event.version, policy),
    sink,
  };
}

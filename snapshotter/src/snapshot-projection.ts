import type { Projection } from '@flowledger/projection';
import { mayBeDue } from './snapshot-policy.js';
import type { SnapshotSink } from './snapshot-sink.js';
import type { TenantPolicies } from './tenant-policies.js';

/** Bump when the snapshot format or policy changes in a way that needs a rebuild. */
export const SNAPSHOT_PROJECTION_VERSION = 1;

/**
 * Every event moves a diagram on, so the snapshotter handles them all; it needs the XML only at
 * versions that can be snapshot versions under the tenant's policy, which keeps a rebuild from
 * serializing every version. `prepare` reads the policies of the tenants about to be handled.
 */
export function snapshotProjection(
  sink: SnapshotSink,
  policies: TenantPolicies,
  version = SNAPSHOT_PROJECTION_VERSION,
): Projection {
  return {
    name: 'snapshots',
    version,
    canHandle: () => true,
    needsXml: (event) => mayBeDue(event.version, policies.policyFor(event.tenantId)),
    prepare: (events) => policies.load(events.map((e) => e.tenantId)),
    sink,
  };
}

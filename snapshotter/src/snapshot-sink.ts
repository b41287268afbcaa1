import { gzipSync } from 'node:zlib';
import { crashPoint } from '@flowledger/crash-points';
import { diagramKey, type ProjectedChange, type ProjectionBuild, type ProjectionSink } from '@flowledger/projection';
import type { SnapshotAnnouncer } from './snapshot-announcer.js';
import type { SnapshotArchive } from './snapshot-archive.js';
import { beginSnapshotBuild } from './snapshot-build.js';
import { snapshotSize, snapshotWriteDuration } from './snapshot-metrics.js';
import { isSnapshotDue } from './snapshot-policy.js';
import type { SnapshotStore, StoredSnapshot } from './snapshot-store.js';
import type { TenantPolicies } from './tenant-policies.js';

export interface SnapshotSinkDependencies {
  store: SnapshotStore;
  archive: SnapshotArchive;
  announcer: SnapshotAnnouncer;
  /** K per tenant (the process's policy unless the tenant has its own). */
  policies: TenantPolicies;
  projectionVersion: number;
  /** Told when an announcement failed; the snapshot stays unannounced for `announcePending`. */
  onAnnounceError?(error: unknown, snapshot: StoredSnapshot): void;
  /** Told after each snapshot write (gzip, archive file, Postgres row; not the announcement), e.g. by the benchmark. */
  onWritten?(snapshot: StoredSnapshot, seconds: number): void;
}

export interface SnapshotSink extends ProjectionSink {
  /** Announces snapshots stored but not yet on the topic (after a crash or a Kafka outage). */
  announcePending(): Promise<number>;
  /** A rebuild in place that keeps serving (snapshot-build.ts). */
  beginBuild(tenants?: string[]): Promise<ProjectionBuild>;
}

/**
 * The snapshot read model. For every event it records the diagram's applied version; when a
 * snapshot is due (snapshot-policy.ts) it first writes the archive file (atomic), then the
 * snapshot row together with the progress (one transaction), then announces it. Idempotent by
 * construction (a snapshot row is written once, progress only moves forward), and a crash in
 * between leaves nothing half done: the file is rewritten identically on re-delivery, and an
 * unannounced row is announced by `announcePending` (the row is the outbox).
 */
export function createSnapshotSink(deps: SnapshotSinkDependencies): SnapshotSink {
  const { store, archive, policies, projectionVersion } = deps;

  const announce = async (snapshot: StoredSnapshot) => {
    await deps.announcer.announce(snapshot);
    await store.markAnnounced(snapshot);
  };

  const apply = async ({ event, xml }: ProjectedChange) => {
    const { tenantId, diagramId, version } = event;
    const xmlBytes = xml === undefined ? 0 : Buffer.byteLength(xml);
    if (xml === undefined || !isSnapshotDue(version, xmlBytes, policies.policyFor(tenantId))) {
      await store.record(projectionVersion, tenantId, diagramId, version, undefined);
      return;
    }
    const endTimer = snapshotWriteDuration.startTimer();
    const xmlGz = gzipSync(xml);
    const archivePath = await archive.write(tenantId, diagramId, version, xmlGz);
    crashPoint('snapshotter:after-archive');
    const stored = await store.record(projectionVersion, tenantId, diagramId, version, {
      tenantId,
      diagramId,
      version,
      resultHash: event.resultHash,
      bytes: xmlBytes,
      compressedBytes: xmlGz.length,
      xmlGz,
      archivePath,
    });
    crashPoint('snapshotter:after-store');
    // Timed whether or not anyone listens (`onWritten?.(…, endTimer())` would skip the timer).
    const seconds = endTimer();
    deps.onWritten?.(stored!, seconds);
    snapshotSize.observe({ form: 'xml' }, xmlBytes);
    snapshotSize.observe({ form: 'gzip' }, xmlGz.length);
    await announce(stored!).catch((error: unknown) => deps.onAnnounceError?.(error, stored!));
  };

  const sink: SnapshotSink = {
    async appliedVersion(tenantId, diagramId) {
      return (await store.progress(projectionVersion, tenantId, diagramId)).appliedVersion;
    },
    apply,
    async applyBatch(changes) {
      // Snapshots as they come; progress once per diagram, at its last change in the batch.
      const last = new Map<string, ProjectedChange>();
      for (const change of changes) {
        const policy = policies.policyFor(change.event.tenantId);
        if (change.xml !== undefined && isSnapshotDue(change.event.version, Buffer.byteLength(change.xml), policy)) {
          await apply(change);
        }
        last.set(diagramKey(change.event.tenantId, change.event.diagramId), change);
      }
      await store.recordProgress(
        projectionVersion,
        [...last.values()].map((c) => ({
          tenantId: c.event.tenantId,
          diagramId: c.event.diagramId,
          version: c.event.version,
        })),
      );
    },
    async reset(tenantId) {
      await store.reset(tenantId);
      await archive.remove(tenantId);
    },
    // One sweep at a time across processes (the snapshotters' timers, a rebuild's switch): two
    // sweeps reading the same unannounced rows would announce each of them twice.
    announcePending: () =>
      store.exclusively('announce', async () => {
        let count = 0;
        for (;;) {
          const batch = await store.unannounced(100);
          if (batch.length === 0) return count;
          for (const snapshot of batch) await announce(snapshot);
          count += batch.length;
        }
      }),
    beginBuild: (tenants) =>
      beginSnapshotBuild(
        { store, archive, policies, projectionVersion, announcePending: () => sink.announcePending() },
        tenants,
      ),
  };
  return sink;
}

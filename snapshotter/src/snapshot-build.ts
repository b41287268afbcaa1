import { gzipSync } from 'node:zlib';
import { diagramKey, type ProjectedChange, type ProjectionBuild, type ProjectionSink } from '@flowledger/projection';
import type { SnapshotArchive } from './snapshot-archive.js';
import { snapshotSize, snapshotWriteDuration } from './snapshot-metrics.js';
import { isSnapshotDue } from './snapshot-policy.js';
import type { NewSnapshot, SnapshotStore } from './snapshot-store.js';
import type { TenantPolicies } from './tenant-policies.js';

export interface SnapshotBuildDependencies {
  store: SnapshotStore;
  archive: SnapshotArchive;
  policies: TenantPolicies;
  projectionVersion: number;
  /** Announces the snapshots the rebuild added or changed (the sink's `announcePending`). */
  announcePending(): Promise<number>;
}

/** Archive files written at once by a rebuild batch (each is fsync'd: the waits overlap). */
const PARALLEL_FILES = 8;

/**
 * A rebuild of the snapshot read model that never leaves it blank (item 5). Snapshots are
 * deterministic — the same stream and policy give the same versions and bytes, each checked
 * against its event's hash — so the rebuild writes them over the serving rows and files in
 * place, a batch per statement, instead of beside them: cold starts keep finding a snapshot
 * throughout. The switch then sweeps what the rebuild did not write again and no live write
 * touched since it began (snapshots of a policy no longer in force, damaged leftovers), sets each
 * diagram's progress to the version the rebuild reached, and announces the snapshots it added.
 * A rebuild that started a diagram from its latest snapshot keeps the snapshots up to it (`keep`).
 * An aborted rebuild leaves valid snapshots behind.
 */
export async function beginSnapshotBuild(
  deps: SnapshotBuildDependencies,
  tenants: string[] | undefined,
): Promise<ProjectionBuild> {
  const { store, archive, policies, projectionVersion } = deps;
  const since = await store.now();
  // Each diagram's last version in the rebuild: its progress at the switch.
  const seen = new Map<string, { tenantId: string; diagramId: string; version: number }>();

  const writeBatch = async (changes: ProjectedChange[]) => {
    // Up to the snapshot a diagram's rebuild started from, its snapshots stay as they are.
    const kept = new Map<string, { tenantId: string; diagramId: string; version: number }>();
    for (const { event, fromSnapshot } of changes) {
      const { tenantId, diagramId, version } = event;
      const key = diagramKey(tenantId, diagramId);
      seen.set(key, { tenantId, diagramId, version });
      if (fromSnapshot) kept.set(key, { tenantId, diagramId, version });
    }
    await store.keep([...kept.values()]);
    const due = changes.filter(
      (c) =>
        c.xml !== undefined &&
        isSnapshotDue(c.event.version, Buffer.byteLength(c.xml), policies.policyFor(c.event.tenantId)),
    );
    const snapshots: NewSnapshot[] = [];
    for (let i = 0; i < due.length; i += PARALLEL_FILES) {
      snapshots.push(...(await Promise.all(due.slice(i, i + PARALLEL_FILES).map(writeFile))));
    }
    await store.rewrite(snapshots);
  };

  const writeFile = async ({ event, xml }: ProjectedChange): Promise<NewSnapshot> => {
    const endTimer = snapshotWriteDuration.startTimer();
    const xmlGz = gzipSync(xml!);
    const archivePath = await archive.write(event.tenantId, event.diagramId, event.version, xmlGz);
    endTimer();
    const bytes = Buffer.byteLength(xml!);
    snapshotSize.observe({ form: 'xml' }, bytes);
    snapshotSize.observe({ form: 'gzip' }, xmlGz.length);
    return {
      tenantId: event.tenantId,
      diagramId: event.diagramId,
      version: event.version,
      resultHash: event.resultHash,
      bytes,
      compressedBytes: xmlGz.length,
      xmlGz,
      archivePath,
    };
  };

  const sink: ProjectionSink = {
    appliedVersion: async (tenantId, diagramId) =>
      (await store.progress(projectionVersion, tenantId, diagramId)).appliedVersion,
    apply: (change) => writeBatch([change]),
    applyBatch: writeBatch,
    reset() {
      throw new Error('snapshot build: reset is never called on a build');
    },
  };
  return {
    sink,
    // Nothing to hold back: the live snapshotter's writes are snapshots of the same stream.
    async freeze() {},
    async switchOver(unchanged = new Set<string>()) {
      // Progress is the stream's, not the larger of the two: after a restore of an older backup
      // the old progress would claim versions that no longer exist. A live write that got
      // further meanwhile moves it on again with its next event. Tenants left as they are keep
      // their progress and every snapshot (those written again are of checked versions).
      const except = [...unchanged];
      const reached = [...seen.values()].filter((d) => !unchanged.has(d.tenantId));
      await store.replaceProgress(projectionVersion, tenants, reached, except);
      for (const path of await store.sweep(tenants, since, except)) await archive.removeFile(path);
      await deps.announcePending();
    },
    async abort() {},
  };
}

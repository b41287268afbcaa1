import type pg from 'pg';
import type { StackConfig } from '@flowledger/config';
import { createLedger } from '@flowledger/ledger';
import {
  rebuildProjections,
  type RebuildOptions,
  type RebuildReport,
  type SnapshotSource,
} from '@flowledger/projection';
import type { Progress } from '../progress-bars.js';
import { openReadModel, type OpenReadModel, type ReadModelName } from '../read-models.js';

export interface RebuildDependencies {
  config: StackConfig;
  pool: pg.Pool;
  progress: Progress;
  /** Replay every event from version 1 instead of starting each diagram from its latest snapshot. */
  fromScratch?: boolean;
  /** Passed to `rebuildProjections` (the benchmark's CPU window). */
  onPhase?: RebuildOptions['onPhase'];
}

/**
 * `rebuild`: rebuilds the chosen read models (all tenants, or one) together from the streams and
 * the latest snapshots (libs/projection `rebuildProjections`: each event decoded once, each
 * diagram started from its latest snapshot — checked against its event's hash — and only the
 * events after it replayed, hashes checked, gaps filled from the ledger). `fromScratch` replays
 * every event instead: for snapshots that are suspect or of another history. Every read model
 * must open first: a missing one stops the rebuild before anything is touched.
 */
export async function rebuildReadModels(
  names: ReadModelName[],
  tenant: string | undefined,
  deps: RebuildDependencies,
): Promise<RebuildReport & { readModels: ReadModelName[] }> {
  const opened: OpenReadModel[] = [];
  try {
    for (const name of names) {
      opened.push(await openReadModel(name, { ...deps, clientId: `flowledger-rebuild-${process.pid}` }));
    }
    const step = deps.progress.step(`rebuild ${names.join('+')}`, 0, 'records');
    let seen = 0;
    const report = await rebuildProjections({
      projections: opened.map((o) => o.projection),
      brokers: deps.config.kafka.brokers,
      registryUrl: deps.config.schemaRegistry.url,
      ledger: createLedger({ pool: deps.pool }),
      snapshots: deps.fromScratch ? undefined : await snapshotsIn(deps.pool),
      tenants: tenant ? [tenant] : undefined,
      onPhase: deps.onPhase,
      onStep: (s) => deps.progress.note(`rebuild: ${s}`),
      onProgress: ({ done, total }) => {
        step.setTotal(total);
        step.increment(done - seen);
        seen = done;
      },
    });
    step.done(`${Math.round(report.eventsPerSecond)} events/s`);
    return { ...report, readModels: names };
  } finally {
    for (const o of opened) await o.close().catch(() => undefined);
  }
}

/** The snapshotter's store as where diagrams start (none while it has never run). */
async function snapshotsIn(pool: pg.Pool): Promise<SnapshotSource> {
  const { createSnapshotSource, createSnapshotStore } = await import('@flowledger/snapshotter/reader');
  return createSnapshotSource(createSnapshotStore(pool));
}

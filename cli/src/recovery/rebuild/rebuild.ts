import type pg from 'pg';
import type { StackConfig } from '@flowledger/config';
import { createLedger } from '@flowledger/ledger';
import { rebuildProjections, type RebuildReport } from '@flowledger/projection';
import type { Progress } from '../progress-bars.js';
import { openReadModel, type OpenReadModel, type ReadModelName } from '../read-models.js';

export interface RebuildDependencies {
  config: StackConfig;
  pool: pg.Pool;
  progress: Progress;
}

/**
 * `rebuild`: resets the chosen read models (all tenants, or one) and replays them together from
 * the streams (libs/projection `rebuildProjections`: each event decoded and replayed once, hashes
 * checked, gaps filled from the ledger). Every read model must open first: a missing one stops
 * the rebuild before anything is reset.
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
      tenants: tenant ? [tenant] : undefined,
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshotterConfig, setTenantSnapshotPolicy } from '@flowledger/snapshotter';
import { loadProjectorsConfig } from '../../../projectors/src/projectors.config.js';
import { task } from '../../support/proposal-operations.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { LiveReadModels } from '../support/live-read-models.js';
import { SteadyClient } from '../support/steady-client.js';

// The read side's metrics exist on the live processes' /metrics and move when proposals are
// projected: consumer lag per group, sink write time per projection, snapshot size and write time.
const tenant = uniqueTenant('rm-metrics');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const live = new LiveReadModels();
const projectors = loadProjectorsConfig();
const snapshotter = loadSnapshotterConfig();
const PROJECTORS = `http://${projectors.stack.host}:${projectors.metrics.port}/metrics`;
const SNAPSHOTTER = `http://${snapshotter.stack.host}:${snapshotter.metricsPort}/metrics`;
const groups = {
  postgres: `flowledger.projector.postgres.v${projectors.postgres.projectionVersion}`,
  neo4j: `flowledger.projector.neo4j.v${projectors.neo4j.projectionVersion}`,
  snapshots: 'flowledger.projector.snapshots.v1',
};
const EDITS = 4;

beforeAll(async () => {
  // Every version of this tenant is a snapshot version, so each edit writes one snapshot.
  await setTenantSnapshotPolicy(live.pool, tenant, { baseK: 1, maxK: 1, referenceBytes: 1 });
});
afterAll(async () => {
  client.close();
  await setTenantSnapshotPolicy(live.pool, tenant, null);
  await live.close();
});

describe('read-model metrics', () => {
  it('exist on :9466 and :9467 and count the projection of new proposals', async () => {
    const before = { projectors: await scrape(PROJECTORS), snapshotter: await scrape(SNAPSHOTTER) };
    const { diagramId } = await client.createDiagram('metrics');
    let version = 1;
    for (let i = 0; i < EDITS; i++) {
      const r = await client.propose(diagramId, version, [task(`t${i}`, 100 + 150 * i, `step ${i}`)]);
      if (r.result !== 'applied') throw new Error(`rejected: ${r.rejected.message}`);
      version = r.applied.version;
    }
    await live.waitForAll(tenant, diagramId, version);
    const after = { projectors: await scrape(PROJECTORS), snapshotter: await scrape(SNAPSHOTTER) };
    // A series that did not exist before (no observation yet) counts from 0.
    const grew = (side: 'projectors' | 'snapshotter', series: string) =>
      value(after[side], series) - (before[side].get(series) ?? 0);

    for (const [side, group] of [
      ['projectors', groups.postgres],
      ['projectors', groups.neo4j],
      ['snapshotter', groups.snapshots],
    ] as const) {
      const lag = value(after[side], `flowledger_projection_lag{group="${group}"}`);
      expect(lag, group).toBeGreaterThanOrEqual(0);
    }
    // Each sink write observed once: at least one write per projection, and at most one per event.
    for (const projection of ['postgres', 'neo4j'] as const) {
      const writes = grew('projectors', `flowledger_projection_apply_seconds_count{projection="${projection}"}`);
      expect(writes, projection).toBeGreaterThanOrEqual(1);
      expect(grew('projectors', `flowledger_projection_apply_seconds_sum{projection="${projection}"}`)).toBeGreaterThan(
        0,
      );
    }
    expect(grew('snapshotter', 'flowledger_projection_apply_seconds_count{projection="snapshots"}')).toBeGreaterThan(0);
    // One snapshot per version of this diagram (other tenants' snapshots may add to the counts).
    expect(grew('snapshotter', 'flowledger_snapshot_size_bytes_count{form="xml"}')).toBeGreaterThanOrEqual(version);
    expect(grew('snapshotter', 'flowledger_snapshot_size_bytes_count{form="gzip"}')).toBeGreaterThanOrEqual(version);
    expect(grew('snapshotter', 'flowledger_snapshot_size_bytes_sum{form="xml"}')).toBeGreaterThan(0);
    expect(grew('snapshotter', 'flowledger_snapshot_write_duration_seconds_count')).toBeGreaterThanOrEqual(version);
    expect(grew('snapshotter', 'flowledger_snapshot_write_duration_seconds_sum')).toBeGreaterThan(0);
  }, 120_000);

  it('report a group’s lag as caught up again once its records are projected', async () => {
    for (const [url, group] of [
      [PROJECTORS, groups.postgres],
      [PROJECTORS, groups.neo4j],
      [SNAPSHOTTER, groups.snapshots],
    ] as const) {
      // Measured every 5 s by each projector; others' tests may be writing too, so wait for a 0.
      const deadline = Date.now() + 60_000;
      let lag = value(await scrape(url), `flowledger_projection_lag{group="${group}"}`);
      while (lag !== 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        lag = value(await scrape(url), `flowledger_projection_lag{group="${group}"}`);
      }
      expect(lag, group).toBe(0);
    }
  }, 200_000);
});

/** Prometheus text → series (name with its labels, as printed) → value. */
async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  const series = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** A series' value; one that does not exist fails the test. */
function value(series: Map<string, number>, name: string): number {
  const v = series.get(name);
  if (v === undefined) throw new Error(`no series ${name}`);
  return v;
}

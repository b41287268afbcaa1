import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTenantSnapshotPolicy } from '@flowledger/snapshotter';
import { LiveReadModels } from '../readmodels/support/live-read-models.js';
import { servedContent } from '../readmodels/support/served-content.js';
import { clientFor, uniqueTenant } from '../support/test-tenant.js';
import { buildDiagram, flowledger } from './recovery-fixtures.js';

// `rebuild` starts each diagram from its latest snapshot (DESIGN.md §6) and replays only the
// events after it; every event still reaches every read model. The read models it gives equal
// those of the live projectors, and the snapshots up to the start stay. A snapshot that does
// not hash to its version's event, or one beyond the end of the stream, fails the tenant: nothing
// serving it changes, its snapshots included, and the command exits 1 naming the diagram;
// `--from-scratch` replays every event and mends the snapshot.
const tenant = uniqueTenant('rebuild-snapshot');
const live = new LiveReadModels();
const VERSIONS = 7;
const diagrams: string[] = [];

interface SnapshotRow {
  diagram_id: string;
  version: number;
  result_hash: string;
  xml_gz: Buffer;
}
const snapshotRows = async (): Promise<SnapshotRow[]> =>
  (
    await live.pool.query<SnapshotRow>(
      `SELECT diagram_id, version::int, result_hash, xml_gz FROM snapshots WHERE tenant_id = $1 ORDER BY diagram_id, version`,
      [tenant],
    )
  ).rows;

beforeAll(async () => {
  await setTenantSnapshotPolicy(live.pool, tenant, { baseK: 2, maxK: 2, referenceBytes: 1 });
  const client = clientFor(tenant, 'alice', ['editor']);
  try {
    for (const name of ['first', 'second']) diagrams.push(await buildDiagram(client, name, VERSIONS));
  } finally {
    client.close();
  }
  for (const d of diagrams) await live.waitForAll(tenant, d, VERSIONS);
  // The live snapshotter's snapshots at 2, 4 and 6 of each diagram.
  for (let i = 0; i < 150 && (await snapshotRows()).length < 6; i++) await new Promise((r) => setTimeout(r, 200));
}, 120_000);

afterAll(async () => {
  await setTenantSnapshotPolicy(live.pool, tenant, null);
  await live.close();
});

describe('rebuild from the latest snapshots', () => {
  it('replays only the events after each snapshot and gives the live read models back, keeping the snapshots', async () => {
    const before = await content();
    const snapshotsBefore = await snapshotRows();
    expect(snapshotsBefore.map((r) => r.version)).toEqual([2, 4, 6, 2, 4, 6]);

    const rebuilt = await flowledger(['rebuild', '--read-model', 'all', '--tenant', tenant, '--json']);

    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({
      events: 2 * VERSIONS,
      diagrams: 2,
      fromSnapshots: 2,
      replayedEvents: 2 * (VERSIONS - 6),
    });
    expect(await content()).toEqual(before);
    expect(await snapshotRows()).toEqual(snapshotsBefore);
    expect((await flowledger(['verify', '--tenant', tenant])).code).toBe(0);
  }, 180_000);

  it('stops at a snapshot beyond the end of the stream, naming the diagram and --from-scratch', async () => {
    const before = await content();
    await live.pool.query(
      `INSERT INTO snapshots (tenant_id, diagram_id, version, result_hash, bytes, compressed_bytes, xml_gz, archive_path, announced_at)
       SELECT tenant_id, diagram_id, 99, result_hash, bytes, compressed_bytes, xml_gz, NULL, now() FROM snapshots
       WHERE tenant_id = $1 AND diagram_id = $2 AND version = 6`,
      [tenant, diagrams[1]],
    );
    const snapshotsBefore = await snapshotRows();
    try {
      const rebuilt = await flowledger(['rebuild', '--read-model', 'all', '--tenant', tenant]);

      expect(rebuilt.code).toBe(1);
      expect(rebuilt.stderr).toContain('1 tenant(s) not rebuilt, their read models left as they were');
      expect(rebuilt.stderr).toContain(
        `${tenant}: STATE_UNAVAILABLE: ${tenant}/${diagrams[1]}: the stream ends at v${VERSIONS}`,
      );
      expect(rebuilt.stderr).toContain('--from-scratch');
      expect(await content()).toEqual(before);
      // Not swept: the failed tenant's snapshots stay, the one beyond its stream included.
      expect(await snapshotRows()).toEqual(snapshotsBefore);
    } finally {
      await live.pool.query('DELETE FROM snapshots WHERE tenant_id = $1 AND version = 99', [tenant]);
    }
  }, 180_000);

  it('stops at a snapshot that does not hash to its event; --from-scratch replays everything and mends it', async () => {
    const before = await content();
    const [v4, v6] = (await snapshotRows()).filter((r) => r.diagram_id === diagrams[0] && r.version >= 4);
    // The latest snapshot now holds version 4's diagram.
    await live.pool.query(`UPDATE snapshots SET xml_gz = $3 WHERE tenant_id = $1 AND diagram_id = $2 AND version = 6`, [
      tenant,
      diagrams[0],
      gzipSync(gunzipSync(v4!.xml_gz)),
    ]);

    const refused = await flowledger(['rebuild', '--read-model', 'all', '--tenant', tenant]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${tenant}: HASH_MISMATCH: `);
    expect(refused.stderr).toContain(`${tenant}/${diagrams[0]}`);
    expect(await content()).toEqual(before);

    const scratch = await flowledger([
      'rebuild',
      '--read-model',
      'all',
      '--tenant',
      tenant,
      '--from-scratch',
      '--json',
    ]);

    expect(scratch.code).toBe(0);
    expect(JSON.parse(scratch.stdout)).toMatchObject({ fromSnapshots: 0, replayedEvents: 2 * VERSIONS });
    const mended = (await snapshotRows()).find((r) => r.diagram_id === diagrams[0] && r.version === 6)!;
    expect(sha256(gunzipSync(mended.xml_gz))).toBe(v6!.result_hash);
    expect(await content()).toEqual(before);
    expect((await flowledger(['verify', '--tenant', tenant])).code).toBe(0);
  }, 180_000);
});

/** What the Postgres and Neo4j read models serve for the tenant's diagrams. */
const content = () => servedContent(live, tenant, diagrams);

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

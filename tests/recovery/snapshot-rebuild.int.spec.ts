import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { snapshotsTopic } from '@flowledger/events';
import { createLedger } from '@flowledger/ledger';
import { rebuildProjections } from '@flowledger/projection';
import {
  buildSnapshotter,
  createSnapshotArchive,
  DEFAULT_ARCHIVE_DIR,
  loadSnapshotterConfig,
  setTenantSnapshotPolicy,
} from '@flowledger/snapshotter';
import { clientFor, uniqueTenant } from '../support/test-tenant.js';
import { buildDiagram } from './recovery-fixtures.js';
import { topicRecords } from './tenant-state.js';

// Item 5 for the snapshot read model: a rebuild never leaves it blank. It writes the snapshots
// again in place (the same stream gives the same snapshots), then sweeps what it did not write
// again. The tenant snapshots every 2 versions; before the rebuild, one snapshot is damaged
// (wrong hash), one is a leftover at a version the policy never snapshots, and the progress
// claims versions the stream does not have.
const config = loadStackConfig();
const tenant = uniqueTenant('snapshot-rebuild');
const pool = new pg.Pool({ connectionString: config.postgres.url, max: 4 });
const archive = createSnapshotArchive(DEFAULT_ARCHIVE_DIR);
let diagramId: string;

interface Row {
  version: number;
  result_hash: string;
  xml_gz: Buffer;
  archive_path: string;
  written_at: Date;
}
const rows = async (): Promise<Row[]> =>
  (
    await pool.query<Row>(
      `SELECT version::int, result_hash, xml_gz, archive_path, written_at FROM snapshots
       WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version`,
      [tenant, diagramId],
    )
  ).rows;

beforeAll(async () => {
  await setTenantSnapshotPolicy(pool, tenant, { baseK: 2, maxK: 2, referenceBytes: 1 });
  const client = clientFor(tenant, 'alice', ['editor']);
  try {
    diagramId = await buildDiagram(client, 'snapshots rebuilt in place', 6);
  } finally {
    client.close();
  }
  // The live snapshotter's snapshots at 2, 4 and 6, each announced and marked so. (A row it has
  // sent but not yet marked is still in the outbox: the rebuild's announcement of pending rows
  // would send it again, as the outbox may.)
  const settled = async () => {
    const { rows: announced } = await pool.query(
      'SELECT 1 FROM snapshots WHERE tenant_id = $1 AND diagram_id = $2 AND announced_at IS NOT NULL',
      [tenant, diagramId],
    );
    return announced.length >= 3;
  };
  // Waited for, not assumed: a busy stack's snapshotter may take a while, and the test below
  // would otherwise fail on what the snapshotter had not yet done.
  for (const deadline = Date.now() + 90_000; !(await settled());) {
    if (Date.now() > deadline)
      throw new Error('setup: the live snapshotter did not announce v2, v4 and v6 within 90 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(async () => {
  await setTenantSnapshotPolicy(pool, tenant, null);
  await pool.end();
});

describe('rebuilding the snapshots', () => {
  it('keeps serving the old snapshots while it writes them again, then sweeps what it did not write', async () => {
    const live = await rows();
    expect(live.map((r) => r.version)).toEqual([2, 4, 6]);
    const announcedBefore = await topicRecords(snapshotsTopic(tenant));
    expect(announcedBefore).toHaveLength(3);
    await pool.query(
      `UPDATE snapshots SET result_hash = 'damaged', xml_gz = $3 WHERE tenant_id = $1 AND diagram_id = $2 AND version = 4`,
      [tenant, diagramId, Buffer.from('not gzip')],
    );
    const leftover = await archive.write(tenant, diagramId, 5, live[1]!.xml_gz);
    await pool.query(
      `INSERT INTO snapshots (tenant_id, diagram_id, version, result_hash, bytes, compressed_bytes, xml_gz, archive_path, announced_at)
       SELECT tenant_id, diagram_id, 5, result_hash, bytes, compressed_bytes, xml_gz, $3, now() FROM snapshots
       WHERE tenant_id = $1 AND diagram_id = $2 AND version = 2`,
      [tenant, diagramId, leftover],
    );
    // Progress beyond the stream (as after a restore of an older backup) and of a diagram it lacks.
    await pool.query(
      `UPDATE snapshot_progress SET applied_version = 9, last_snapshot_version = 8
       WHERE tenant_id = $1 AND diagram_id = $2`,
      [tenant, diagramId],
    );
    await pool.query(
      `INSERT INTO snapshot_progress (projection_version, tenant_id, diagram_id, applied_version) VALUES (1, $1, 'ghost', 3)`,
      [tenant],
    );
    const hashes = await ledgerHashes();

    const parts = await buildSnapshotter(pool, loadSnapshotterConfig(), {
      clientId: `snapshot-rebuild-${process.pid}`,
    });
    let during: number[] = [];
    try {
      await rebuildProjections({
        projections: [parts.projection],
        brokers: config.kafka.brokers,
        registryUrl: config.schemaRegistry.url,
        ledger: createLedger({ pool }),
        tenants: [tenant],
        onPhase: async (phase) => {
          if (phase === 'built') during = (await rows()).map((r) => r.version);
        },
      });
    } finally {
      await parts.close();
    }

    expect(during).toEqual([2, 4, 5, 6]);
    const after = await rows();
    expect(after.map((r) => r.version)).toEqual([2, 4, 6]);
    for (const r of after) {
      expect(r.result_hash).toBe(hashes.get(r.version));
      expect(sha256(gunzipSync(r.xml_gz))).toBe(r.result_hash);
      expect(sha256(gunzipSync(await archive.read(r.archive_path)))).toBe(r.result_hash);
      expect(r.written_at.getTime()).toBeGreaterThan(live[0]!.written_at.getTime());
    }
    const progress = await pool.query(
      'SELECT diagram_id, applied_version::int, last_snapshot_version::int FROM snapshot_progress WHERE tenant_id = $1',
      [tenant],
    );
    expect(progress.rows).toEqual([{ diagram_id: diagramId, applied_version: 6, last_snapshot_version: 6 }]);
    await expect(stat(join(DEFAULT_ARCHIVE_DIR, leftover))).rejects.toMatchObject({ code: 'ENOENT' });
    // Only the snapshot whose content changed is announced again.
    const announcedAfter = await topicRecords(snapshotsTopic(tenant));
    expect(announcedAfter.slice(0, 3)).toEqual(announcedBefore);
    expect(announcedAfter).toHaveLength(4);
  }, 120_000);
});

async function ledgerHashes(): Promise<Map<number, string>> {
  const { rows: events } = await pool.query<{ version: number; result_hash: string }>(
    'SELECT version::int, result_hash FROM ledger_events WHERE tenant_id = $1 AND diagram_id = $2',
    [tenant, diagramId],
  );
  return new Map(events.map((e) => [e.version, e.result_hash]));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

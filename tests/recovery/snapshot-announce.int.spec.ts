import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { snapshotsTopic } from '@flowledger/events';
import { buildSnapshotter, loadSnapshotterConfig } from '@flowledger/snapshotter';
import { uniqueTenant } from '../support/test-tenant.js';
import { topicRecords } from './tenant-state.js';

// Snapshot rows are the outbox of their announcements. Sweeps of several processes at once (the
// snapshotters' timers, a rebuild's switch) must not announce a row once per sweep.
const config = loadStackConfig();
const tenant = uniqueTenant('snapshot-announce');
const pool = new pg.Pool({ connectionString: config.postgres.url, max: 4 });
afterAll(() => pool.end());

describe('announcing pending snapshots', () => {
  it('announces each unannounced snapshot once, however many sweeps run at the same time', async () => {
    const xmlGz = gzipSync('<definitions/>');
    for (let version = 1; version <= 6; version++) {
      await pool.query(
        `INSERT INTO snapshots (tenant_id, diagram_id, version, result_hash, bytes, compressed_bytes, xml_gz, archive_path)
         VALUES ($1, 'd1', $2, $3, 14, $4, $5, NULL)`,
        [tenant, version, `hash-${version}`, xmlGz.length, xmlGz],
      );
    }
    const processes = await Promise.all(
      [1, 2, 3].map((n) =>
        buildSnapshotter(pool, loadSnapshotterConfig(), { clientId: `snapshot-announce-${process.pid}-${n}` }),
      ),
    );
    try {
      await Promise.all(processes.flatMap((p) => [p.sink.announcePending(), p.sink.announcePending()]));
    } finally {
      await Promise.all(processes.map((p) => p.close()));
    }

    const announced = await topicRecords(snapshotsTopic(tenant));
    expect(announced).toHaveLength(6);
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM snapshots WHERE tenant_id = $1 AND announced_at IS NULL',
      [tenant],
    );
    expect(rows[0].n).toBe(0);
  }, 60_000);
});

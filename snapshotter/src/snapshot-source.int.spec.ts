import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { migrateSnapshots } from './snapshot-migrations.js';
import { createSnapshotSource } from './snapshot-source.js';
import { createSnapshotStore } from './snapshot-store.js';

// A stack whose snapshotter never ran has no `snapshots` table: a rebuild or a cold start then
// starts from version 1. Here the table is missing for real — the connection looks only into an
// empty schema of its own — and Postgres' other errors still come through.
const { url } = loadStackConfig().postgres;
const schema = `snapshot_source_${process.pid}_${Date.now()}`;
const admin = new pg.Pool({ connectionString: url, max: 1 });
const empty = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` });
const own = `${schema}_tables`;
const migrated = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${own}` });

afterAll(async () => {
  await empty.end();
  await migrated.end();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS ${own} CASCADE`);
  await admin.end();
});

describe('the snapshot store as a source of snapshots', () => {
  it('has no snapshot while the snapshotter never created its table, and passes other errors on', async () => {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const source = createSnapshotSource(createSnapshotStore(empty));
    expect(await source.latestSnapshot('t', 'd', 10)).toBeUndefined();
    expect(await source.latestSnapshots!([{ tenantId: 't', diagramId: 'd' }])).toEqual([]);

    await empty.query(`CREATE TABLE ${schema}.snapshots (tenant_id text)`); // a table without the columns asked for
    await expect(source.latestSnapshot('t', 'd', 10)).rejects.toMatchObject({ code: '42703' }); // undefined_column
  });

  it('gives the latest snapshot of each diagram asked for in one query, and none for a diagram without', async () => {
    await admin.query(`CREATE SCHEMA ${own}`);
    await migrateSnapshots(migrated);
    const xml = (v: number) => `<definitions version="${v}"/>`;
    for (const [diagram, version] of [
      ['d1', 10],
      ['d1', 20],
      ['d2', 30],
      ['d2', 5],
    ] as const) {
      const gz = gzipSync(xml(version));
      await migrated.query(
        `INSERT INTO snapshots (tenant_id, diagram_id, version, result_hash, bytes, compressed_bytes, xml_gz)
         VALUES ('t', $1, $2, 'h', 1, $3, $4)`,
        [diagram, version, gz.length, gz],
      );
    }
    const source = createSnapshotSource(createSnapshotStore(migrated));

    const found = await source.latestSnapshots!(['d1', 'd2', 'd3'].map((diagramId) => ({ tenantId: 't', diagramId })));

    expect(found.sort((a, b) => a.diagramId.localeCompare(b.diagramId))).toEqual([
      { tenantId: 't', diagramId: 'd1', version: 20, xml: xml(20) },
      { tenantId: 't', diagramId: 'd2', version: 30, xml: xml(30) },
    ]);
  });
});

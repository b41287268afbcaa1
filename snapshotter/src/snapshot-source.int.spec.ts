import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { createSnapshotSource } from './snapshot-source.js';
import { createSnapshotStore } from './snapshot-store.js';

// A stack whose snapshotter never ran has no `snapshots` table: a rebuild or a cold start then
// starts from version 1. Here the table is missing for real — the connection looks only into an
// empty schema of its own — and Postgres' other errors still come through.
const { url } = loadStackConfig().postgres;
const schema = `snapshot_source_${process.pid}_${Date.now()}`;
const admin = new pg.Pool({ connectionString: url, max: 1 });
const empty = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` });

afterAll(async () => {
  await empty.end();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe('the snapshot store as a source of snapshots', () => {
  it('has no snapshot while the snapshotter never created its table, and passes other errors on', async () => {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const source = createSnapshotSource(createSnapshotStore(empty));
    expect(await source.latestSnapshot('t', 'd', 10)).toBeUndefined();

    await empty.query(`CREATE TABLE ${schema}.snapshots (tenant_id text)`); // a table without the columns asked for
    await expect(source.latestSnapshot('t', 'd', 10)).rejects.toMatchObject({ code: '42703' }); // undefined_column
  });
});

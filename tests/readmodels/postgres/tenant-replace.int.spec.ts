import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceTenantRows } from '../../../projectors/src/postgres/tenant-replace.js';
import { adminPool } from './read-model-support.js';

// A tenant rebuild's switch writes only the serving rows that differ from the rebuilt ones. Here
// against a scratch schema: a serving table of two tenants and the rebuilt rows of one.
const pool = adminPool();
const schema = `tenant_replace_${process.pid}_${Date.now()}`;
const serving = `${schema}.elements`;
const rebuilt = `${schema}.elements_rebuilt`;

beforeAll(async () => {
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(
    `CREATE TABLE ${serving} (tenant_id text NOT NULL, diagram_id text NOT NULL, element_id text NOT NULL,
       name text, extra jsonb, PRIMARY KEY (tenant_id, diagram_id, element_id))`,
  );
  await pool.query(`CREATE UNLOGGED TABLE ${rebuilt} (LIKE ${serving})`);
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

type Row = [tenant: string, diagram: string, element: string, name: string | null, extra: string | null];

const insert = (table: string, rows: Row[]) =>
  pool.query(
    `INSERT INTO ${table} SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`,
    [0, 1, 2, 3, 4].map((i) => rows.map((r) => r[i])),
  );

const rowsOf = async (tenant: string) =>
  (
    await pool.query(
      `SELECT diagram_id, element_id, name, extra, xmin::text AS xmin FROM ${serving}
       WHERE tenant_id = $1 ORDER BY diagram_id, element_id`,
      [tenant],
    )
  ).rows;

describe('replaceTenantRows', () => {
  it("makes a tenant's serving rows the rebuilt ones, rewriting only those that differ", async () => {
    await insert(serving, [
      ['acme', 'd1', 'same', 'Task', '{"a": 1}'],
      ['acme', 'd1', 'renamed', 'old', null],
      ['acme', 'd1', 'named', null, null], // a NULL that the rebuild fills
      ['acme', 'd1', 'unnamed', 'x', null], // a name the rebuild has not
      ['acme', 'd1', 'json', 'j', '{"a": 1}'],
      ['acme', 'd2', 'extra', 'gone', null],
      ['beta', 'd1', 'same', 'untouched', null],
    ]);
    await insert(rebuilt, [
      ['acme', 'd1', 'same', 'Task', '{"a": 1}'],
      ['acme', 'd1', 'renamed', 'new', null],
      ['acme', 'd1', 'named', 'filled', null],
      ['acme', 'd1', 'unnamed', null, null],
      ['acme', 'd1', 'json', 'j', '{"a": 2}'],
      ['acme', 'd3', 'missing', 'back', null],
    ]);
    const before = { acme: await rowsOf('acme'), beta: await rowsOf('beta') };
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const key = ['tenant_id', 'diagram_id', 'element_id'];
      await replaceTenantRows(client, { serving, rebuilt, key }, ['acme']);
      await client.query('COMMIT');
    } finally {
      client.release();
    }

    const after = await rowsOf('acme');
    expect(after.map(({ xmin: _, ...row }) => row)).toEqual([
      { diagram_id: 'd1', element_id: 'json', name: 'j', extra: { a: 2 } },
      { diagram_id: 'd1', element_id: 'named', name: 'filled', extra: null },
      { diagram_id: 'd1', element_id: 'renamed', name: 'new', extra: null },
      { diagram_id: 'd1', element_id: 'same', name: 'Task', extra: { a: 1 } },
      { diagram_id: 'd1', element_id: 'unnamed', name: null, extra: null },
      { diagram_id: 'd3', element_id: 'missing', name: 'back', extra: null },
    ]);
    const xminOf = (rows: { element_id: string; xmin: string }[], id: string) =>
      rows.find((r) => r.element_id === id)!.xmin;
    expect(xminOf(after, 'same')).toBe(xminOf(before.acme, 'same')); // left alone
    for (const changed of ['json', 'named', 'renamed', 'unnamed']) {
      expect(xminOf(after, changed)).not.toBe(xminOf(before.acme, changed));
    }
    expect(await rowsOf('beta')).toEqual(before.beta);
  });
});

import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { diagramEventsSubject, diagramEventsTopic, snapshotsSubject, snapshotsTopic } from '@flowledger/events';
import { DEFAULT_ARCHIVE_DIR } from '@flowledger/snapshotter';
import { openReadModel, READ_MODELS } from '../../cli/src/recovery/read-models.js';
import { clientFor, uniqueTenant } from '../support/test-tenant.js';
import { buildDiagram, flowledger } from './recovery-fixtures.js';
import {
  deleteTenantSubjects,
  deleteTenantTopics,
  latestSchemaId,
  ledgerRows,
  topicRecords,
  type RecordCopy,
} from './tenant-state.js';

// The DR drill of issue 4: N diagrams × M versions through the command service, snapshots every
// K, backup, destroy everything of the tenant, restore, rebuild, verify.
const N = 4;
const M = 9;
const K = 3;
const SNAPSHOT_ENV = { FLOWLEDGER_SNAPSHOT_BASE_K: String(K), FLOWLEDGER_SNAPSHOT_MAX_K: String(K) };
const config = loadStackConfig();
const tenant = uniqueTenant('dr');
const pool = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
let workDir: string;
let backupDir: string;
const diagramIds: string[] = [];

interface Before {
  events: RecordCopy[];
  snapshots: RecordCopy[];
  ledger: Awaited<ReturnType<typeof ledgerRows>>;
  snapshotRows: unknown[];
}
let before: Before;

const snapshotRows = async () =>
  (
    await pool.query(
      'SELECT diagram_id, version::int, result_hash, bytes, archive_path FROM snapshots WHERE tenant_id = $1 ORDER BY diagram_id, version',
      [tenant],
    )
  ).rows;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'flowledger-dr-'));
  backupDir = join(workDir, 'backup');
  const client = clientFor(tenant, 'alice', ['editor', 'viewer']);
  try {
    for (let i = 0; i < N; i++) diagramIds.push(await buildDiagram(client, `drill ${i}`, M));
  } finally {
    client.close();
  }
}, 240_000);

afterAll(async () => {
  await pool.end();
  await rm(workDir, { recursive: true, force: true });
});

describe('disaster recovery drill', () => {
  it('rebuilds every read model with a snapshot every K versions, and verify agrees', async () => {
    const rebuilt = await flowledger(['rebuild', '--read-model', 'all', '--tenant', tenant], SNAPSHOT_ENV);
    expect(rebuilt.stderr).not.toMatch(/error/i);
    expect(rebuilt.code).toBe(0);

    const rows = await snapshotRows();
    expect(rows.map((r) => `${r.diagram_id}@${r.version}`).sort()).toEqual(
      diagramIds.flatMap((d) => [3, 6, 9].map((v) => `${d}@${v}`)).sort(),
    );
    for (const r of rows)
      expect((await stat(join(DEFAULT_ARCHIVE_DIR, r.archive_path as string))).size).toBeGreaterThan(0);
    expect(await topicRecords(snapshotsTopic(tenant))).toHaveLength(N * (M / K));

    const verified = await flowledger(['verify', '--tenant', tenant]);
    expect(verified.stdout).toContain('read models checked: postgres, neo4j, snapshots');
    expect(verified.stdout).toContain('OK');
    expect(verified.code).toBe(0);
  }, 120_000);

  it('backs the tenant up with a manifest and checksums', async () => {
    before = {
      events: await topicRecords(diagramEventsTopic(tenant)),
      snapshots: await topicRecords(snapshotsTopic(tenant)),
      ledger: await ledgerRows(pool, tenant),
      snapshotRows: await snapshotRows(),
    };
    expect(before.events).toHaveLength(N * M);

    const backup = await flowledger(['backup', '--tenant', tenant, '--out', backupDir, '--json']);
    expect(backup.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest.topics[diagramEventsTopic(tenant)].records).toBe(N * M);
    expect(manifest.topics[snapshotsTopic(tenant)].records).toBe(N * (M / K));
    expect(manifest.ledger).toMatchObject({ diagrams: N, events: N * M });
    expect(manifest.schemas.subjects.sort()).toEqual([diagramEventsSubject(tenant), snapshotsSubject(tenant)].sort());
    const sums = await readFile(join(backupDir, 'SHA256SUMS'), 'utf8');
    for (const file of [...Object.keys(manifest.files), 'manifest.json']) expect(sums).toContain(`  ${file}\n`);
  }, 60_000);

  it('destroys everything of the tenant: topics, subjects, ledger rows, read models, archive', async () => {
    await deleteTenantTopics(tenant);
    await deleteTenantSubjects(tenant);
    await pool.query('DELETE FROM ledger_events WHERE tenant_id = $1', [tenant]);
    await pool.query('DELETE FROM diagrams WHERE tenant_id = $1', [tenant]);
    for (const name of READ_MODELS) {
      const model = await openReadModel(name, { config, pool, clientId: `dr-drill-${process.pid}` });
      await model.projection.sink.reset(tenant);
      for (const d of diagramIds) expect(await model.projection.sink.appliedVersion(tenant, d)).toBe(0);
      await model.close();
    }
    await expect(readdir(join(DEFAULT_ARCHIVE_DIR, tenant))).rejects.toThrow(/ENOENT/);
    expect(await topicRecords(diagramEventsTopic(tenant))).toEqual([]);
    expect((await ledgerRows(pool, tenant)).events).toEqual([]);
  }, 60_000);

  it('refuses a backup whose checksum does not match, before writing anything', async () => {
    const damaged = join(workDir, 'damaged');
    await cp(backupDir, damaged, { recursive: true });
    const file = join(damaged, 'ledger', 'ledger_events.ndjson.gz');
    const bytes = await readFile(file);
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    await writeFile(file, bytes);

    const restored = await flowledger(['restore', '--from', damaged]);

    expect(restored.code).toBe(3);
    expect(restored.stderr).toMatch(/damaged[\s\S]*ledger\/ledger_events\.ndjson\.gz: sha256/);
    expect(await topicRecords(diagramEventsTopic(tenant))).toEqual([]);
    expect((await ledgerRows(pool, tenant)).events).toEqual([]);
  }, 60_000);

  it('restores topics and ledger identical in content and order (schema ids mapped to the new registry)', async () => {
    const restored = await flowledger(['restore', '--from', backupDir]);
    expect(restored.stderr).not.toMatch(/error/i);
    expect(restored.code).toBe(0);

    const eventsId = await latestSchemaId(diagramEventsSubject(tenant));
    const snapshotsId = await latestSchemaId(snapshotsSubject(tenant));
    const withoutIds = (records: RecordCopy[]) => records.map(({ schemaId: _, ...rest }) => rest);
    const events = await topicRecords(diagramEventsTopic(tenant));
    const snapshots = await topicRecords(snapshotsTopic(tenant));
    expect(withoutIds(events)).toEqual(withoutIds(before.events));
    expect(withoutIds(snapshots)).toEqual(withoutIds(before.snapshots));
    expect(new Set(events.map((r) => r.schemaId))).toEqual(new Set([eventsId]));
    expect(new Set(snapshots.map((r) => r.schemaId))).toEqual(new Set([snapshotsId]));
    expect(await ledgerRows(pool, tenant)).toEqual(before.ledger);

    const again = await flowledger(['restore', '--from', backupDir]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/already exists/);
  }, 120_000);

  it('rebuilds the read models and the snapshot archive, and verify finds the same hashes everywhere', async () => {
    const rebuilt = await flowledger(['rebuild', '--read-model', 'all', '--tenant', tenant], SNAPSHOT_ENV);
    expect(rebuilt.code).toBe(0);
    expect(await snapshotRows()).toEqual(before.snapshotRows);

    const verified = await flowledger(['verify', '--tenant', tenant]);
    expect(verified.stdout).toContain(`verified ${N} diagrams (${N * M} events)`);
    expect(verified.code).toBe(0);
  }, 120_000);

  it('verify exits non-zero and names the diagram when a stored version does not match its hash', async () => {
    const victim = diagramIds[0]!;
    await pool.query(
      `UPDATE snapshots SET xml_gz = (SELECT xml_gz FROM snapshots WHERE tenant_id = $1 AND diagram_id = $3 AND version = 3)
       WHERE tenant_id = $1 AND diagram_id = $2 AND version = 6`,
      [tenant, victim, diagramIds[1]],
    );

    const verified = await flowledger(['verify', '--tenant', tenant]);

    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`MISMATCH ${tenant}/${victim}`);
    expect(verified.stdout).toMatch(/snapshot v6: Postgres XML does not hash/);
  }, 120_000);
});

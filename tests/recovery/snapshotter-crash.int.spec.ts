import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalHash } from '@flowledger/bpmn-operations';
import { loadStackConfig } from '@flowledger/config';
import type { CrashPoint } from '@flowledger/crash-points';
import { createLedger } from '@flowledger/ledger';
import { rename, task } from '../support/proposal-operations.js';
import { exitWithin, spawnService, type ServiceProcess } from '../support/service-process.js';
import { uniqueTenant } from '../support/test-tenant.js';
import { SteadyClient } from '../readmodels/support/steady-client.js';

// The snapshotter's promise under kill -9 (snapshot-sink.ts): a crash between the archive file,
// the row and the announcement leaves nothing half done — the process started next has a row
// for every due version, each announced, its file in place with the same bytes, both hashing to
// the version's event, and no temporary file left. A snapshotter of the test's own
// (support/snapshotter-worker.ts: its store in a database of its own, a snapshot every 2nd version).
const stack = loadStackConfig();
const STORE_DATABASE = 'flowledger_snapshotter_crash_test';
const K = 2;
const tenant = uniqueTenant('snapshot-crash');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const mainPool = new pg.Pool({ connectionString: stack.postgres.url, max: 2 });
const ledger = createLedger({ pool: mainPool });
const projectionVersion = 100_000 + Math.floor(Math.random() * 1_000_000);
const archiveDir = mkdtempSync(join(tmpdir(), 'flowledger-snapshot-crash-'));
const diagram = { id: '', version: 0 };
let storeUrl: string;
let store: pg.Pool;
let edits = 0;

beforeAll(async () => {
  storeUrl = await storeDatabaseUrl();
  store = new pg.Pool({ connectionString: storeUrl, max: 2 });
  ({ diagramId: diagram.id, version: diagram.version } = await client.createDiagram('snapshot-crash'));
}, 60_000);

afterAll(async () => {
  client.close();
  await store?.query('DELETE FROM snapshots WHERE tenant_id = $1', [tenant]);
  await store?.query('DELETE FROM snapshot_progress WHERE tenant_id = $1', [tenant]);
  await store?.end();
  await mainPool.end();
  rmSync(archiveDir, { recursive: true, force: true });
});

/** A database for the worker's snapshot store (made once, shared by later runs). */
async function storeDatabaseUrl(): Promise<string> {
  try {
    await mainPool.query(`CREATE DATABASE ${STORE_DATABASE}`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // 42P04: it exists already
  }
  const url = new URL(stack.postgres.url);
  url.pathname = `/${STORE_DATABASE}`;
  return url.toString();
}

/** Two more versions per round: a task added, then renamed — one of them a snapshot version. */
async function edit(rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const n = ++edits;
    const added = await client.propose(diagram.id, diagram.version, [task(`t${n}`, 100 + 150 * (n % 8), `task ${n}`)]);
    if (added.result !== 'applied') throw new Error(`setup rejected: ${added.rejected.message}`);
    const renamed = await client.propose(diagram.id, added.applied.version, [
      rename(added.applied.idMap[`t${n}`]!, `renamed ${n}`),
    ]);
    if (renamed.result !== 'applied') throw new Error(`setup rejected: ${renamed.rejected.message}`);
    diagram.version = renamed.applied.version;
  }
}

function startWorker(crashAt?: CrashPoint): ServiceProcess {
  return spawnService('snapshotter-worker', 'tests/recovery/support/snapshotter-worker.ts', {
    FLOWLEDGER_TEST_TENANT: tenant,
    FLOWLEDGER_TEST_STORE_URL: storeUrl,
    FLOWLEDGER_TEST_PROJECTION_VERSION: String(projectionVersion),
    FLOWLEDGER_SNAPSHOT_ARCHIVE_DIR: archiveDir,
    FLOWLEDGER_SNAPSHOT_BASE_K: String(K),
    FLOWLEDGER_SNAPSHOT_MAX_K: String(K),
    FLOWLEDGER_SNAPSHOT_REFERENCE_BYTES: '1',
    FLOWLEDGER_CRASH_AT: crashAt ?? '',
  });
}

interface SnapshotRow {
  version: number;
  result_hash: string;
  xml_gz: Buffer;
  archive_path: string | null;
  announced: boolean;
}

async function snapshotRows(): Promise<SnapshotRow[]> {
  const { rows } = await store.query<SnapshotRow>(
    `SELECT version::int, result_hash, xml_gz, archive_path, announced_at IS NOT NULL AS announced
       FROM snapshots WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version`,
    [tenant, diagram.id],
  );
  return rows;
}

async function appliedVersion(): Promise<number> {
  const { rows } = await store.query<{ v: number }>(
    `SELECT applied_version::int AS v FROM snapshot_progress
      WHERE projection_version = $1 AND tenant_id = $2 AND diagram_id = $3`,
    [projectionVersion, tenant, diagram.id],
  );
  return rows[0]?.v ?? 0;
}

/** The files in the diagram's archive folder, temporary ones included. */
function archiveFiles(): string[] {
  const folder = join(archiveDir, tenant, diagram.id);
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

async function until(what: string, done: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each<CrashPoint>(['snapshot-archive:before-rename', 'snapshotter:after-archive', 'snapshotter:after-store'])(
  'a snapshotter killed at %s',
  (crashAt) => {
    it('leaves nothing half done: its successor stores, files and announces every snapshot once', async () => {
      // given versions with snapshots due
      await edit(2);

      // when the process dies at the crash point
      const crashing = startWorker(crashAt);
      const exit = await exitWithin(crashing, 90_000);
      expect(exit.signal).toBe('SIGKILL');

      // then what it left is what the point says
      const rowsAfterCrash = await snapshotRows();
      const files = archiveFiles();
      if (crashAt === 'snapshot-archive:before-rename') expect(files.some((f) => f.endsWith('.tmp'))).toBe(true);
      if (crashAt === 'snapshotter:after-archive') {
        expect(files.filter((f) => f.endsWith('.bpmn.gz')).length).toBeGreaterThan(rowsAfterCrash.length);
      }
      if (crashAt === 'snapshotter:after-store') expect(rowsAfterCrash.some((r) => !r.announced)).toBe(true);

      // and the process started next finishes the work
      const successor = startWorker();
      try {
        await until('the successor to reach the head', async () => (await appliedVersion()) >= diagram.version);
        await until('every snapshot announced', async () => (await snapshotRows()).every((r) => r.announced));
      } finally {
        await successor.stop();
      }
      const events = await ledger.readEvents(tenant, diagram.id, 1);
      const rows = await snapshotRows();
      expect(rows.map((r) => r.version)).toEqual(
        events.map((e) => e.version).filter((v) => v % K === 0 && v <= diagram.version),
      );
      for (const row of rows) {
        const xml = gunzipSync(row.xml_gz).toString('utf8');
        expect(canonicalHash(xml)).toBe(row.result_hash);
        expect(row.result_hash).toBe(events[row.version - 1]!.resultHash);
        expect(readFileSync(join(archiveDir, row.archive_path!))).toEqual(row.xml_gz);
      }
      expect(archiveFiles()).toEqual(rows.map((r) => `${r.version}.bpmn.gz`).sort());
    }, 240_000);
  },
);

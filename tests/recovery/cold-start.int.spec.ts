import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalHash } from '@flowledger/bpmn-operations';
import { loadStackConfig } from '@flowledger/config';
import { devToken, ModelingClient } from '../support/modeling-client.js';
import { task } from '../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../support/test-tenant.js';
import { startCommandService, type CommandServiceProcess } from '../support/command-service-process.js';
import { buildDiagram, flowledger, operationsFor, retryUnavailable } from './recovery-fixtures.js';
import type { Operation } from '@flowledger/bpmn-operations';
import { randomUUID } from 'node:crypto';

// A command-service that has never seen a diagram starts it from the latest snapshot plus the
// ledger's tail, and ends up exactly where the warm service would.
const config = loadStackConfig();
const tenant = uniqueTenant('cold');
const pool = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
const VERSIONS = 8; // snapshots (K = 3) at 3 and 6: the tail is 7, 8
let warm: ModelingClient;
let cold: ModelingClient;
let service: CommandServiceProcess;
const ids: Record<'twinA' | 'twinB' | 'damaged', string> = { twinA: '', twinB: '', damaged: '' };

beforeAll(async () => {
  warm = clientFor(tenant, 'alice', ['editor', 'viewer']);
  for (const name of Object.keys(ids) as Array<keyof typeof ids>) ids[name] = await buildDiagram(warm, name, VERSIONS);
  const rebuilt = await flowledger(['rebuild', '--read-model', 'snapshots', '--tenant', tenant], {
    FLOWLEDGER_SNAPSHOT_BASE_K: '3',
    FLOWLEDGER_SNAPSHOT_MAX_K: '3',
  });
  if (rebuilt.code !== 0) throw new Error(`snapshot rebuild failed: ${rebuilt.stderr}`);
  // Only Applied answers of at least 2 operations carry the whole diagram from this process.
  service = await startCommandService('recovery-cold-start', { FLOWLEDGER_SNAPSHOT_IN_APPLIED_OPERATIONS: '2' });
  cold = new ModelingClient(devToken(tenant, 'bob', ['editor', 'viewer']), { address: service.address });
}, 240_000);

afterAll(async () => {
  warm?.close();
  cold?.close();
  await service?.stop();
  await pool.end();
});

describe('command-service cold start', () => {
  it('starts an unseen diagram from its latest snapshot plus the ledger tail, giving what the warm service gives', async () => {
    const next = operationsFor(VERSIONS + 1);

    const viaCold = await proposeOnce(cold, ids.twinA, VERSIONS, next);
    const viaWarm = await proposeOnce(warm, ids.twinB, VERSIONS, next);

    expect(viaCold.result).toBe('applied');
    expect(viaWarm.result).toBe('applied');
    const a = await warm.getDiagram(ids.twinA, VERSIONS + 1);
    const b = await warm.getDiagram(ids.twinB, VERSIONS + 1);
    expect(a.xml).toBe(b.xml);
    const line = coldStartLine(ids.twinA);
    expect(line).toMatchObject({ snapshot_version: 6, replayed: 2, version: VERSIONS });
  });

  it('falls back to the ledger stored XML, logging an error, when the snapshot does not match its hash', async () => {
    const other = (
      await pool.query<{ xml_gz: Buffer }>(
        'SELECT xml_gz FROM snapshots WHERE tenant_id = $1 AND diagram_id = $2 AND version = 3',
        [tenant, ids.twinA],
      )
    ).rows[0]!.xml_gz;
    await pool.query('UPDATE snapshots SET xml_gz = $3 WHERE tenant_id = $1 AND diagram_id = $2 AND version = 6', [
      tenant,
      ids.damaged,
      gzipSync(gunzipSync(other)),
    ]);

    const result = await proposeOnce(cold, ids.damaged, VERSIONS, operationsFor(VERSIONS + 1));

    expect(result.result).toBe('applied');
    const failed = service
      .log()
      .split('\n')
      .filter((l) => l.includes(ids.damaged) && l.includes('cold start from snapshot failed'));
    expect(failed).toHaveLength(1);
    expect(JSON.parse(failed[0]!)).toMatchObject({ level: 'error', snapshot_version: 6 });
    const { xml } = await warm.getDiagram(ids.damaged, VERSIONS + 1);
    const twin = await warm.getDiagram(ids.twinB, VERSIONS + 1);
    expect(xml).toBe(twin.xml);
  });

  it('carries the whole diagram (gzip) in Applied when a change reaches the configured size, and not otherwise', async () => {
    const { version } = await warm.getDiagram(ids.twinA);
    const large = await proposeOnce(cold, ids.twinA, version, [task('x1', 2000), task('x2', 2200)]);
    const small = await proposeOnce(cold, ids.twinA, version + 1, [task('x3', 2400)]);

    if (large.result !== 'applied' || small.result !== 'applied') throw new Error('proposals were rejected');
    const snapshot = gunzipSync(large.applied.snapshotGzip).toString('utf8');
    expect(snapshot).toBe((await warm.getDiagram(ids.twinA, version + 1)).xml);
    expect(canonicalHash(snapshot)).toMatch(/^[0-9a-f]{64}$/);
    expect(small.applied.snapshotGzip.length).toBe(0);
  });
});

function coldStartLine(diagramId: string): Record<string, unknown> {
  const line = service
    .log()
    .split('\n')
    .find((l) => l.includes(diagramId) && l.includes('cold start from snapshot and ledger tail'));
  if (!line) throw new Error(`no cold-start line for ${diagramId} in:\n${service.log().slice(-3000)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

/** One proposal with its own transaction id, retried as the contract says when the service is UNAVAILABLE. */
function proposeOnce(client: ModelingClient, diagramId: string, baseVersion: number, operations: Operation[]) {
  const tx = randomUUID();
  return retryUnavailable(() => client.propose(diagramId, baseVersion, operations, tx));
}

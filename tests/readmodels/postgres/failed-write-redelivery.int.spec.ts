import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Projection, RunningProjector } from '@flowledger/projection';
import { rename, task } from '../../support/proposal-operations.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { ScratchReadModels } from '../support/scratch-read-models.js';
import { SteadyClient } from '../support/steady-client.js';

// "Offset committed only after the write": a live projector whose sink write fails — a real
// CHECK constraint in Postgres refuses one diagram state — commits nothing for that record, and
// once the constraint is gone the same record, delivered again, is applied. A scratch projection
// version with its own consumer group, holding only this test's tenant.
const tenant = uniqueTenant('redelivery');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const scratch = new ScratchReadModels();
const warnings: string[] = [];
let projection: Projection;
let running: RunningProjector;
let schema: string;
let diagramId: string;
let version: number;
let taskId: string;

beforeAll(async () => {
  ({ diagramId, version } = await client.createDiagram('redelivery'));
  const r = await client.propose(diagramId, version, [task('t', 100, 'fine')]);
  if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.message}`);
  version = r.applied.version;
  taskId = r.applied.idMap.t!;
  projection = await scratch.postgresProjection();
  running = await scratch.startLive(projection, {
    tenants: [tenant],
    logger: {
      info: () => undefined,
      warn: (fields, message) => warnings.push(`${message}: ${(fields as { err?: Error }).err?.message}`),
      error: (fields, message) => warnings.push(`${message}: ${(fields as { err?: Error }).err?.message}`),
    },
  });
  await scratch.waitApplied([projection], tenant, diagramId, version);
  schema = await scratch.postgresSchema();
}, 60_000);

afterAll(async () => {
  await running?.stop();
  client.close();
  await scratch.cleanUp();
});

describe('a sink write that fails', () => {
  it('leaves its record uncommitted and delivers it again until the write succeeds', async () => {
    await scratch.pool.query(
      `ALTER TABLE ${schema}.elements ADD CONSTRAINT refuse_poison CHECK (name IS DISTINCT FROM 'poison')`,
    );
    expect(await running.lag()).toBe(0);

    const r = await client.propose(diagramId, version, [rename(taskId, 'poison')]);
    if (r.result !== 'applied') throw new Error(`rejected: ${r.rejected.message}`);
    const poisoned = r.applied.version;

    // The write fails again and again: the version is not applied and its record stays uncommitted.
    await until(() => warnings.filter((w) => w.includes('refuse_poison')).length >= 2, 30_000);
    expect(await projection.sink.appliedVersion(tenant, diagramId)).toBe(version);
    expect(await running.lag()).toBe(1);

    await scratch.pool.query(`ALTER TABLE ${schema}.elements DROP CONSTRAINT refuse_poison`);

    // No new event: only the redelivered record can bring the version in.
    await scratch.waitApplied([projection], tenant, diagramId, poisoned);
    const { rows } = await scratch.pool.query(
      `SELECT name FROM ${schema}.elements WHERE tenant_id = $1 AND diagram_id = $2 AND element_id = $3`,
      [tenant, diagramId, taskId],
    );
    expect(rows).toEqual([{ name: 'poison' }]);
    await until(async () => (await running.lag()) === 0, 30_000);
    expect(
      warnings.some((w) => w.startsWith('projector member failed; rejoining') && w.includes('refuse_poison')),
    ).toBe(true);
  }, 120_000);
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out; warnings: ${warnings.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

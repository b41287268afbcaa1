import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForLedgerChanges } from '@flowledger/ledger';
import type { Projection, RunningProjector } from '@flowledger/projection';
import { rename, task } from '../../support/proposal-operations.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { ScratchReadModels, stack } from '../support/scratch-read-models.js';
import { SteadyClient } from '../support/steady-client.js';

// The read side fetches a tenant's partition when the ledger announces a change to one of its
// diagrams (Postgres notices), not by naming every tenant topic in every fetch. A live projector
// that sweeps all its partitions only every ten minutes must still project each proposal: only the
// command service's notice can bring it.
const tenant = uniqueTenant('notices');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const scratch = new ScratchReadModels();
let projection: Projection;
let running: RunningProjector;

beforeAll(async () => {
  projection = await scratch.postgresProjection();
}, 60_000);

afterAll(async () => {
  await running?.stop();
  client.close();
  await scratch.cleanUp();
});

describe('a projector told of ledger changes', () => {
  it('projects each proposal on its notice, with no sweep in between', { timeout: 120_000 }, async () => {
    // given a diagram, and a projector over its tenant that has read it in its first (join) sweep
    const created = await client.createDiagram('notices');
    const { diagramId } = created;
    let { version } = created;
    running = await scratch.startLive(projection, {
      tenants: [tenant],
      changeNotices: {
        listen: (listener) => listenForLedgerChanges(stack.postgres.url, listener),
      },
      sweepIntervalMs: 600_000,
    });
    await scratch.waitApplied([projection], tenant, diagramId, version);

    // when three proposals are applied, one after the other
    const r = await client.propose(diagramId, version, [task('t', 100, 'first')]);
    if (r.result !== 'applied') throw new Error(`rejected: ${r.rejected.message}`);
    const taskId = r.applied.idMap.t!;
    version = r.applied.version;
    for (const name of ['second', 'third']) {
      const next = await client.propose(diagramId, version, [rename(taskId, name)]);
      if (next.result !== 'applied') throw new Error(`rejected: ${next.rejected.message}`);
      version = next.applied.version;
    }

    // then the projector reaches the last version long before its next sweep
    await scratch.waitApplied([projection], tenant, diagramId, version);
    expect(await projection.sink.appliedVersion(tenant, diagramId)).toBe(version);
  });
});

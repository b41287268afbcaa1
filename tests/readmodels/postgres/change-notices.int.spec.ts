import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForLedgerChanges, type LedgerChangeListener } from '@flowledger/ledger';
import type { Projection, RunningProjector } from '@flowledger/projection';
import { rename, task } from '../../support/proposal-operations.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { ScratchReadModels, stack } from '../support/scratch-read-models.js';
import { SteadyClient } from '../support/steady-client.js';

// The read side fetches a tenant's partition when the ledger announces a change to one of its
// diagrams (Postgres notices), not by naming every tenant topic in every fetch. A live projector
// that sweeps all its partitions only every ten minutes must still project each proposal: only the
// command service's notice can bring it.
// Likewise a tenant's first diagram: its topic is new, and the notice makes the projector rejoin
// with it, not its next periodic look for topics (ten minutes away here).
const tenant = uniqueTenant('notices');
const newcomer = uniqueTenant('notices-new');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const newcomerClient = new SteadyClient(newcomer, 'bob', ['editor']);
const scratch = new ScratchReadModels();
const notices = { listen: (listener: LedgerChangeListener) => listenForLedgerChanges(stack.postgres.url, listener) };
let projection: Projection;
let running: RunningProjector;

beforeAll(async () => {
  projection = await scratch.postgresProjection();
}, 60_000);

afterAll(async () => {
  await running?.stop();
  client.close();
  newcomerClient.close();
  await scratch.cleanUp();
});

describe('a projector told of ledger changes', () => {
  it('projects each proposal on its notice, with no sweep in between', { timeout: 120_000 }, async () => {
    // given a diagram, and a projector over its tenant that has read it in its first (join) sweep
    const created = await client.createDiagram('notices');
    const { diagramId } = created;
    let { version } = created;
    running = await scratch.startLive(projection, {
      tenants: [tenant, newcomer],
      changeNotices: notices,
      sweepIntervalMs: 600_000,
      discoveryIntervalMs: 600_000,
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

  it("reads a new tenant's topic on the notice of its first diagram, not at its next look for topics", async () => {
    // given the projector above, joined while the newcomer had no topic, looking for topics every ten minutes

    // when the newcomer creates its first diagram and edits it
    const created = await newcomerClient.createDiagram('first of its tenant');
    const r = await newcomerClient.propose(created.diagramId, created.version, [task('t', 100, 'new')]);
    if (r.result !== 'applied') throw new Error(`rejected: ${r.rejected.message}`);

    // then the projector rejoined with the new topic and projected both versions
    await scratch.waitApplied([projection], newcomer, created.diagramId, r.applied.version);
    expect(await projection.sink.appliedVersion(newcomer, created.diagramId)).toBe(r.applied.version);
  });
});

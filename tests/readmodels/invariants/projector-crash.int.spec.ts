import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrashPoint } from '@flowledger/crash-points';
import type { Projection } from '@flowledger/projection';
import type { Neo4jReadModel } from '../../../projectors/src/neo4j/index.js';
import { rename, task } from '../../support/proposal-operations.js';
import { exitWithin, spawnService, type ServiceProcess } from '../../support/service-process.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { ScratchReadModels } from '../support/scratch-read-models.js';
import { SteadyClient } from '../support/steady-client.js';

// "Offset committed only after the write" and "idempotent by version", under kill -9: a
// projectors process (support/projector-worker.ts: a scratch Postgres read model and a scratch
// graph, live over this test's tenant) dies at a crash point; another one started after it
// brings both read models to the command side's state, with every version's history row once.
const tenant = uniqueTenant('projector-crash');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const scratch = new ScratchReadModels();
const diagrams: { id: string; version: number }[] = [];
let postgres: Projection;
let graph: Neo4jReadModel;
let edits = 0;

beforeAll(async () => {
  for (const name of ['crash-a', 'crash-b']) {
    const { diagramId, version } = await client.createDiagram(name);
    diagrams.push({ id: diagramId, version });
  }
  postgres = await scratch.postgresProjection();
  graph = await scratch.graphReadModel();
}, 60_000);

afterAll(async () => {
  await graph?.close();
  client.close();
  await scratch.cleanUp();
});

/** `rounds` more versions of each diagram: a task added, then renamed. */
async function edit(rounds: number): Promise<void> {
  for (const d of diagrams) {
    for (let i = 0; i < rounds; i++) {
      const n = ++edits;
      const added = await client.propose(d.id, d.version, [task(`t${n}`, 100 + 150 * (n % 8), `task ${n}`)]);
      if (added.result !== 'applied') throw new Error(`setup rejected: ${added.rejected.message}`);
      const renamed = await client.propose(d.id, added.applied.version, [
        rename(added.applied.idMap[`t${n}`]!, `renamed ${n}`),
      ]);
      if (renamed.result !== 'applied') throw new Error(`setup rejected: ${renamed.rejected.message}`);
      d.version = renamed.applied.version;
    }
  }
}

function startWorker(crashAt?: CrashPoint): ServiceProcess {
  return spawnService('projector-worker', 'tests/readmodels/support/projector-worker.ts', {
    ...scratch.env(),
    FLOWLEDGER_TEST_TENANT: tenant,
    FLOWLEDGER_CRASH_AT: crashAt ?? '',
  });
}

/** Each sink's applied version of each diagram. */
async function appliedVersions(): Promise<{ postgres: number[]; neo4j: number[] }> {
  const of = (p: Projection) => Promise.all(diagrams.map((d) => p.sink.appliedVersion(tenant, d.id)));
  return { postgres: await of(postgres), neo4j: await of(graph.projection) };
}

describe.each<CrashPoint>([
  'projector:after-write',
  'postgres-projection:before-commit',
  'neo4j-projection:before-commit',
])('a projectors process killed at %s', (crashAt) => {
  it('leaves nothing half written, and its successor converges with every version once', async () => {
    // given versions the read models have not seen
    await edit(2);
    const before = await appliedVersions();

    // when the process dies at the crash point
    const crashing = startWorker(crashAt);
    const exit = await exitWithin(crashing, 90_000);
    expect(exit.signal).toBe('SIGKILL');
    const after = await appliedVersions();

    // then a transaction cut short left its read model as it was; a write cut off from its
    // offset commit is there, and will be delivered again
    if (crashAt === 'postgres-projection:before-commit') expect(after.postgres).toEqual(before.postgres);
    if (crashAt === 'neo4j-projection:before-commit') expect(after.neo4j).toEqual(before.neo4j);
    if (crashAt === 'projector:after-write') expect(after).not.toEqual(before);

    // and a new process brings both read models to the command side, re-deliveries skipped
    const successor = startWorker();
    try {
      for (const d of diagrams) await scratch.waitApplied([postgres, graph.projection], tenant, d.id, d.version);
      const schema = await scratch.postgresSchema();
      for (const d of diagrams) {
        expect(await scratch.differences(postgres, graph, tenant, d.id)).toEqual([]);
        const { rows } = await scratch.pool.query(
          `SELECT count(*)::int AS n, min(version)::int AS first, max(version)::int AS last
               FROM ${schema}.versions WHERE tenant_id = $1 AND diagram_id = $2`,
          [tenant, d.id],
        );
        expect(rows[0]).toEqual({ n: d.version, first: 1, last: d.version });
      }
    } finally {
      await successor.stop();
    }
  }, 240_000);
});

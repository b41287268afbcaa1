import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger } from '@flowledger/ledger';
import {
  rebuildProjections,
  type Projection,
  type RebuildOptions,
  type RunningProjector,
} from '@flowledger/projection';
import { graphLabels, readGraphContent, type Neo4jReadModel } from '../../projectors/src/neo4j/index.js';
import { lockVersionStatement } from '../../projectors/src/neo4j/store/graph-labels.js';
import { readPostgresContent } from '../../projectors/src/postgres/read-model-content.js';
import { flow, shape, task } from '../support/proposal-operations.js';
import { uniqueTenant } from '../support/test-tenant.js';
import { SteadyClient } from '../readmodels/support/steady-client.js';
import { ScratchReadModels, stack } from '../readmodels/support/scratch-read-models.js';

// A rebuild's freeze waits for the lock every live write takes first. A writer stuck with its
// transaction open would hold that lock, and the rebuild with it, without end and without a word
// in any log. The freeze waits a bounded time instead: then the rebuild fails with FREEZE_TIMEOUT
// naming the limit and what holds the lock, drops its builds, and leaves what serves untouched.
const FREEZE_WAIT_MS = 1_500;
const tenant = uniqueTenant('freeze-limit');
const scratch = new ScratchReadModels();
const client = new SteadyClient(tenant, 'alice', ['editor']);
let diagramId: string;
let postgres: Projection;
let graph: Neo4jReadModel;

beforeAll(async () => {
  const created = await client.createDiagram('freeze limit');
  diagramId = created.diagramId;
  const first = await client.propose(diagramId, created.version, [
    shape('s', 'bpmn:StartEvent', 100, 100),
    task('a', 250),
  ]);
  if (first.result !== 'applied') throw new Error(`setup rejected: ${first.rejected.message}`);
  const second = await client.propose(diagramId, first.applied.version, [
    flow('f', first.applied.idMap.s!, first.applied.idMap.a!),
  ]);
  if (second.result !== 'applied') throw new Error(`setup rejected: ${second.rejected.message}`);
  postgres = await scratch.postgresProjection(undefined, { freezeWaitMs: FREEZE_WAIT_MS });
  // No questions are in flight at a switch here: the old generation need not linger.
  graph = await scratch.graphReadModel(undefined, { freezeWaitMs: FREEZE_WAIT_MS, dropDelayMs: 100 });
  const running: RunningProjector[] = [];
  for (const projection of [postgres, graph.projection]) running.push(await scratch.startLive(projection, tenant));
  await scratch.waitApplied([postgres, graph.projection], tenant, diagramId, second.applied.version);
  await Promise.all(running.map((r) => r.stop()));
}, 120_000);

afterAll(async () => {
  client.close();
  await graph?.close();
  await scratch.cleanUp();
});

describe('a rebuild whose freeze cannot get the live writer’s lock', () => {
  // Before the rebuild begins (it reads the generation under that lock) and when it freezes.
  for (const when of ['begins', 'freezes'] as const) {
    it(`neo4j: held when the rebuild ${when}, fails after the limit naming the transaction that holds the version record, and leaves what serves`, async () => {
      const generation = await scratch.neo4jGeneration();
      const before = await servingState();
      const session = scratch.driver.session();
      const stuck = session.beginTransaction({ metadata: { test: 'stuck-writer' } });
      let stuckId = '';
      const holdLock = async () => {
        const lock = lockVersionStatement(scratch.neo4jVersion, scratch.servingName);
        await stuck.run(lock.text, lock.params); // what every live write does first, here never committed
        const { records } = await scratch.driver.executeQuery(
          `SHOW TRANSACTIONS YIELD transactionId, metaData WHERE metaData.test = 'stuck-writer' RETURN transactionId`,
        );
        stuckId = records[0]!.get('transactionId') as string;
      };
      try {
        if (when === 'begins') await holdLock();

        const error = (await rebuild({ onPhase: (phase) => (phase === 'built' ? holdLock() : undefined) }).catch(
          (e: unknown) => e,
        )) as { code?: string; message?: string };

        expect(error.code).toBe('FREEZE_TIMEOUT');
        expect(error.message).toContain(`neo4j: the lock on projection version ${scratch.neo4jVersion}'s record`);
        expect(error.message).toContain(`not free within 1.5 s (the rebuild's freeze wait limit`);
        expect(stuckId).not.toBe('');
        expect(error.message).toContain(`waiting for: ${stuckId} from `);
        expect(await servingState()).toEqual(before);
        expect(await scratch.nodesUnder(graphLabels(scratch.neo4jVersion, generation + 1).element)).toBe(0);
        expect(await postgresSchemas()).toEqual([before.schema]);
      } finally {
        await stuck.rollback();
        await session.close();
      }
      const report = await rebuild(); // the lock free again: the same rebuild goes through
      expect(report.failures).toEqual([]);
      expect(await scratch.neo4jGeneration()).toBe(generation + 1);
      expect(await scratch.differences(postgres, graph, tenant, diagramId)).toEqual([]);
    }, 120_000);
  }

  it('postgres: fails after the limit naming the session that holds the version row, and leaves what serves', async () => {
    const holder = await scratch.pool.connect();
    try {
      await holder.query(`SET application_name = 'stuck-writer'`);
      await holder.query('BEGIN');
      // The live writer's look-up of the version's tables, here never committed.
      await holder.query(`SELECT 1 FROM ${scratch.namespace}.projection_versions WHERE version = $1 FOR SHARE`, [
        scratch.postgresVersion,
      ]);
      const before = await servingState();

      const error = (await rebuild().catch((e: unknown) => e)) as { code?: string; message?: string };

      expect(error.code).toBe('FREEZE_TIMEOUT');
      expect(error.message).toContain(
        `postgres: the lock on projection version ${scratch.postgresVersion}'s row in ${scratch.namespace}.projection_versions`,
      );
      expect(error.message).toContain(`not free within 1.5 s (the rebuild's freeze wait limit`);
      expect(error.message).toMatch(/sessions holding the table: pid \d+ \(stuck-writer\), idle in transaction/);
      expect(await servingState()).toEqual(before);
      expect(await postgresSchemas()).toEqual([before.schema]);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect((await rebuild()).failures).toEqual([]);
  }, 120_000);
});

function rebuild(extra: Pick<RebuildOptions, 'onPhase'> = {}) {
  return rebuildProjections({
    ...extra,
    projections: [postgres, graph.projection],
    brokers: stack.kafka.brokers,
    registryUrl: stack.schemaRegistry.url,
    ledger: createLedger({ pool: scratch.pool }),
    projectedTenants: [tenant],
  });
}

/** What serves the tenant: the Postgres schema, the graph's generation, and both read models' content. */
async function servingState() {
  const schema = await scratch.postgresSchema();
  return {
    schema,
    generation: await scratch.neo4jGeneration(),
    content: [
      await readPostgresContent(scratch.pool, schema, tenant, diagramId),
      await readGraphContent(scratch.driver, await scratch.servingLabels(), tenant, diagramId),
    ],
  };
}

/** Every schema of the scratch Postgres version: the serving one, plus any build left behind. */
async function postgresSchemas(): Promise<string[]> {
  const { rows } = await scratch.pool.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY nspname`,
    [`rm\\_postgres\\_v${scratch.postgresVersion}%`],
  );
  return rows.map((r) => r.nspname);
}

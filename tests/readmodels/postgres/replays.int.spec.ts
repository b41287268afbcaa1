import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagramEvent } from '@flowledger/events';
import type { Operation } from '@flowledger/bpmn-operations';
import { createLedger } from '@flowledger/ledger';
import { createChangeProcessor, rebuildProjections, type Projection } from '@flowledger/projection';
import { createPostgresProjection } from '../../../projectors/src/postgres/postgres-projection.js';
import { replayEvent } from '@flowledger/projection';
import { flow, rename, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { adminPool, stack, waitForProjection } from './read-model-support.js';

const tenant = uniqueTenant('rm-replay');
const pool = adminPool();
const ledger = createLedger({ pool });
// A scratch projection version of its own: fresh tables beside the live ones (item 5), dropped afterwards.
const scratchVersion = 100_000 + Math.floor(Math.random() * 100_000);
const scratch = `rm_postgres_v${scratchVersion}`;
let projection: Projection;
const diagrams: { id: string; version: number }[] = [];

beforeAll(async () => {
  projection = await createPostgresProjection({
    pool,
    version: scratchVersion,
    tenantSecret: 'test-secret-0123456789',
  });
  const alice = clientFor(tenant, 'alice', ['editor']);
  const bob = clientFor(tenant, 'bob', ['editor']);
  for (let d = 0; d < 2; d++) {
    const { diagramId } = await alice.createDiagram(`replay-${d}`);
    let version = 1;
    for (const [client, ops] of [
      [alice, [task('a', 100, 'A'), task('b', 300, 'B')]],
      [bob, [rename('Task_2_1', 'First')]],
      [alice, [flow('f', 'Task_2_1', 'Task_2_2')]],
      [bob, [task('c', 500, 'C')]],
      [alice, [{ kind: 'deleteElements' as const, elementIds: ['Task_2_2'] }]],
    ] as const) {
      const r = await client.propose(diagramId, version, [...ops] as Operation[]);
      if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.message}`);
      version = r.applied.version;
    }
    diagrams.push({ id: diagramId, version });
    await waitForProjection(pool, tenant, diagramId, version);
  }
  alice.close();
  bob.close();
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${scratch} CASCADE`);
  await pool.query('DELETE FROM read_model.projection_versions WHERE version = $1', [scratchVersion]);
  await pool.end();
});

describe('replays into the Postgres read model', () => {
  it('is unharmed by duplicate and re-ordered redelivery, filling the gap it opens from the ledger', async () => {
    const { id } = diagrams[0]!;
    const events = await ledger.readEvents(tenant, id, 1);
    const processor = createChangeProcessor({ projection, ledger });
    const v = (n: number) => events[n - 1]!;

    const outcomes = [];
    for (const e of [v(1), v(1), v(3), v(2), v(2), v(1), v(6), v(4), v(5), v(6)])
      outcomes.push(await processor.process(e));

    expect(outcomes.map((o) => [o.result, o.appliedVersions])).toEqual([
      ['applied', [1]],
      ['duplicate', []],
      ['applied', [2, 3]], // v3 arrived before v2: the gap was filled from the ledger
      ['duplicate', []],
      ['duplicate', []],
      ['duplicate', []],
      ['applied', [4, 5, 6]],
      ['duplicate', []],
      ['duplicate', []],
      ['duplicate', []],
    ]);
    await expectSameAsLive(id);
  });

  it('detects a gap (v1 then v3) and fills v2 from the ledger; a sink write repeated changes nothing', async () => {
    const { id } = diagrams[1]!;
    const events = await ledger.readEvents(tenant, id, 1, 3);
    const processor = createChangeProcessor({ projection, ledger });

    expect((await processor.process(events[0]!)).appliedVersions).toEqual([1]);
    expect((await processor.process(events[2]!)).appliedVersions).toEqual([2, 3]);

    // The sink itself, handed the same change twice (a live projector and a rebuild racing).
    const before = await tenantTables(scratch);
    const v3 = await diagramAt(events);
    await projection.sink.apply({ event: events[2]!, diagram: v3 });
    expect(await tenantTables(scratch)).toEqual(before);
  });

  it('sets aside a diagram whose skipped versions the ledger lacks, and goes on with the others', async () => {
    // given a batch with v3 of a diagram the ledger does not know (its v1, v2 were never committed), then a known v1
    const [known] = await ledger.readEvents(tenant, diagrams[0]!.id, 1, 1);
    const foreign: DiagramEvent = { ...known!, diagramId: 'never-in-the-ledger', version: 3, baseVersion: 2 };
    await projection.sink.reset(tenant);
    const processor = createChangeProcessor({ projection, ledger });

    // when it is processed
    const result = await processor.processBatch([foreign, known!]);

    // then the unknown diagram is a failure that retrying cannot mend, and the known one is applied
    expect(result.failures.map((f) => [f.event.diagramId, f.error.code, f.error.retriable])).toEqual([
      ['never-in-the-ledger', 'GAP_UNFILLABLE', false],
    ]);
    expect(result.outcomes.map(({ event, outcome }) => [event.diagramId, outcome.appliedVersions])).toEqual([
      [known!.diagramId, [1]],
    ]);
  });

  it('drops and rebuilds from the streams into the same rows as the live projector, twice over', async () => {
    for (let round = 0; round < 2; round++) {
      const report = await rebuildProjections({
        projections: [projection],
        brokers: stack.kafka.brokers,
        registryUrl: stack.schemaRegistry.url,
        ledger,
        tenants: [tenant],
      });
      expect(report.events).toBe(diagrams.reduce((n, d) => n + d.version, 0));
      expect(report.diagrams).toBe(2);
      for (const { id } of diagrams) await expectSameAsLive(id);
      expect(await tenantTables(scratch)).toEqual(await tenantTables('read_model'));
    }
  });

  it('projects a fetched set in one write; a bad event still lets the versions before it through', async () => {
    await projection.sink.reset(tenant);
    const [a, b] = (await Promise.all(diagrams.map((d) => ledger.readEvents(tenant, d.id, 1)))) as [
      DiagramEvent[],
      DiagramEvent[],
    ];
    const writes: number[] = [];
    const sink = projection.sink;
    const counted: Projection = {
      ...projection,
      sink: {
        ...sink,
        apply: async (change) => {
          writes.push(1);
          await sink.apply(change);
        },
        applyBatch: async (changes) => {
          writes.push(changes.length);
          await sink.applyBatch!(changes);
        },
      },
    };
    const processor = createChangeProcessor({ projection: counted, ledger });
    const at = (events: DiagramEvent[], n: number) => events[n - 1]!;
    const outcomes = (r: Awaited<ReturnType<typeof processor.processBatch>>) =>
      r.outcomes.map(({ event, outcome }) => [
        event.diagramId === a[0]!.diagramId ? 'a' : 'b',
        event.version,
        outcome.result,
        outcome.appliedVersions,
      ]);

    // Interleaved diagrams, a duplicate, and b's v2 missing (filled from the ledger): one write.
    const first = await processor.processBatch([at(a, 1), at(b, 1), at(a, 1), at(b, 3), at(a, 2)]);
    expect(outcomes(first)).toEqual([
      ['a', 1, 'applied', [1]],
      ['a', 1, 'duplicate', []],
      ['a', 2, 'applied', [2]],
      ['b', 1, 'applied', [1]],
      ['b', 3, 'applied', [2, 3]],
    ]);
    expect(first.failures).toEqual([]);
    expect(writes).toEqual([5]);

    // b's v5 altered (its task named otherwise): the state after b's last event no longer has
    // its hash, so b goes event by event — v4 applied, v5 refused, v6 not tried; a is unharmed.
    const altered: DiagramEvent = {
      ...at(b, 5),
      operations: at(b, 5).operations.map((op) => (op.kind === 'createShape' ? { ...op, name: 'altered' } : op)),
    };
    const second = await processor.processBatch([at(a, 3), at(b, 4), at(a, 4), altered, at(a, 5), at(b, 6), at(a, 6)]);
    expect(outcomes(second)).toEqual([
      ['a', 3, 'applied', [3]],
      ['a', 4, 'applied', [4]],
      ['a', 5, 'applied', [5]],
      ['a', 6, 'applied', [6]],
      ['b', 4, 'applied', [4]],
    ]);
    expect(second.failures.map((f) => [f.event.version, f.error.code])).toEqual([[5, 'HASH_MISMATCH']]);
    expect(writes).toEqual([5, 4, 1]);
    await expectSameAsLive(a[0]!.diagramId);
    expect(await sink.appliedVersion(tenant, b[0]!.diagramId)).toBe(4);
  });
});

async function expectSameAsLive(diagramId: string): Promise<void> {
  for (const table of ['elements', 'flows', 'versions']) {
    const q = (schema: string) =>
      pool.query(`SELECT * FROM ${schema}.${table} WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY 3`, [
        tenant,
        diagramId,
      ]);
    expect((await q(scratch)).rows, table).toEqual((await q('read_model')).rows);
  }
}

/** Every row of the tenant in the five tables of `schema`, in a stable order. */
async function tenantTables(schema: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['diagrams', 'elements', 'flows', 'versions', 'actor_activity']) {
    const { rows } = await pool.query(`SELECT * FROM ${schema}.${table} WHERE tenant_id = $1`, [tenant]);
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

async function diagramAt(events: DiagramEvent[]) {
  let diagram;
  for (const e of events) diagram = (await replayEvent(diagram, e, { verify: true })).diagram;
  return diagram!;
}

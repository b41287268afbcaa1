import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Projection, RunningProjector } from '@flowledger/projection';
import type { Neo4jReadModel } from '../../../projectors/src/neo4j/index.js';
import { flow, shape, task } from '../../support/proposal-operations.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { ScratchReadModels } from '../support/scratch-read-models.js';
import { SteadyClient } from '../support/steady-client.js';

// Item 5 with live projectors: a new projection version's projector builds its own tables or
// labels while the old version keeps serving — readers never find the diagram missing or behind —
// and takes over once it has caught up; the old version never takes it back. Scratch versions,
// namespace and serving record, projectors holding only this tenant.
const tenant = uniqueTenant('switch-over');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const scratch = new ScratchReadModels();
const running: RunningProjector[] = [];
const graphs: Neo4jReadModel[] = [];
let diagramId: string;
let version: number;
const id: Record<string, string> = {};

beforeAll(async () => {
  ({ diagramId, version } = await client.createDiagram('switch-over'));
  await propose([
    shape('s', 'bpmn:StartEvent', 100, 100, 'start'),
    task('a', 250, 'A'),
    shape('o', 'bpmn:Task', 250, 300, 'orphan'),
  ]);
  await propose([flow('f', id.s!, id.a!)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  for (const g of graphs) await g.close();
  client.close();
  await scratch.cleanUp();
});

describe('a live projector of a new projection version', () => {
  it('Postgres: builds new tables while the old version serves, then re-points the views', async () => {
    const [old, next] = [scratch.postgresVersion, scratch.postgresVersion + 1];
    const v1 = await postgresVersion(old);
    running.push(await scratch.startLive(v1, tenant));
    await scratch.waitApplied([v1], tenant, diagramId, version);
    // Marks what the old version serves, so the switch shows.
    await scratch.pool.query(
      `UPDATE ${await scratch.postgresSchema(old)}.elements SET name = 'served by the old version'
       WHERE tenant_id = $1 AND element_id = $2`,
      [tenant, id.a],
    );

    const v2 = await postgresVersion(next);
    expect(await states()).toEqual({ [old]: 'active', [next]: 'building' });
    const seen = await watchUntil(
      async () => (await states())[next] === 'active',
      async () => servedRow(),
      async () => running.push(await scratch.startLive(v2, tenant)),
    );

    // Never missing, never behind; first the old version's rows, then the new one's.
    expect(seen.every((r) => r?.applied_version === String(version))).toBe(true);
    expect(seen[0]!.name).toBe('served by the old version');
    expect(await servedRow()).toMatchObject({ name: 'A', applied_version: String(version) });
    expect(await states()).toEqual({ [old]: 'retired', [next]: 'active' });
    await v1.sink.activate!(); // a late catch-up of the old version
    expect(await states()).toEqual({ [old]: 'retired', [next]: 'active' });
  }, 120_000);

  it('Neo4j: builds under new labels while the old version serves, then moves the serving record', async () => {
    const [old, next] = [scratch.neo4jVersion, scratch.neo4jVersion + 1];
    const g1 = await graphVersion(old);
    running.push(await scratch.startLive(g1.projection, tenant));
    await scratch.waitApplied([g1.projection], tenant, diagramId, version);
    await until(async () => (await servingVersion(g1)) === old);
    await scratch.renameNode(g1, tenant, diagramId, id.o!, 'served by the old version');

    const g2 = await graphVersion(next);
    const seen = await watchUntil(
      async () => (await servingVersion(g1)) === next,
      () => g1.queries.findUnreachable({ tenantId: tenant, diagramId }),
      async () => running.push(await scratch.startLive(g2.projection, tenant)),
    );

    expect(seen.every((a) => a.appliedVersion === version)).toBe(true);
    expect(seen[0]!.elements.map((e) => e.name)).toEqual(['served by the old version']);
    const after = await g1.queries.findUnreachable({ tenantId: tenant, diagramId });
    expect(after).toEqual({
      appliedVersion: version,
      elements: [{ elementId: id.o, type: 'bpmn:Task', name: 'orphan' }],
    });
    await g1.projection.sink.activate!();
    expect(await servingVersion(g1)).toBe(next);
  }, 120_000);
});

async function propose(operations: Parameters<SteadyClient['propose']>[2]): Promise<void> {
  const r = await client.propose(diagramId, version, operations);
  if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.code} ${r.rejected.message}`);
  version = r.applied.version;
  Object.assign(id, r.applied.idMap);
}

function postgresVersion(v: number): Promise<Projection> {
  return scratch.postgresProjection(v);
}

async function graphVersion(v: number): Promise<Neo4jReadModel> {
  const graph = await scratch.graphReadModel(v);
  graphs.push(graph);
  return graph;
}

async function states(): Promise<Record<number, string>> {
  const { rows } = await scratch.pool.query<{ version: number; state: string }>(
    `SELECT version, state FROM ${scratch.namespace}.projection_versions ORDER BY version`,
  );
  return Object.fromEntries(rows.map((r) => [r.version, r.state]));
}

/** The row readers of the namespace's views get for task A, with the diagram's applied version. */
async function servedRow() {
  const { rows } = await scratch.pool.query<{ name: string; applied_version: string }>(
    `SELECT e.name, d.applied_version FROM ${scratch.namespace}.elements e
     JOIN ${scratch.namespace}.diagrams d USING (tenant_id, diagram_id)
     WHERE e.tenant_id = $1 AND e.diagram_id = $2 AND e.element_id = $3`,
    [tenant, diagramId, id.a],
  );
  return rows[0];
}

async function servingVersion(graph: Neo4jReadModel): Promise<number | undefined> {
  const { records } = await graph.driver.executeQuery(
    'MATCH (p:GraphProjection {name: $name}) RETURN p.active_version AS v',
    {
      name: scratch.servingName,
    },
  );
  const v = records[0]?.get('v') as { toNumber(): number } | undefined;
  return v?.toNumber();
}

/** Starts `start`, then reads `observe` every 20 ms until `done` holds (and once more); returns what it read. */
async function watchUntil<T>(done: () => Promise<boolean>, observe: () => Promise<T>, start: () => Promise<unknown>) {
  const seen: T[] = [await observe()];
  await start();
  await until(async () => {
    seen.push(await observe());
    return done();
  }, 20);
  seen.push(await observe());
  return seen;
}

async function until(condition: () => Promise<boolean>, everyMs = 100): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

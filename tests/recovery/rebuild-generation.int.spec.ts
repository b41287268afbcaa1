import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDiagram, semanticSummary } from '@flowledger/bpmn-operations';
import { createLedger } from '@flowledger/ledger';
import { rebuildProjections, type Projection, type RunningProjector } from '@flowledger/projection';
import type { Neo4jReadModel } from '../../projectors/src/neo4j/index.js';
import { flow, shape, task } from '../support/proposal-operations.js';
import { uniqueTenant } from '../support/test-tenant.js';
import { SteadyClient } from '../readmodels/support/steady-client.js';
import { ScratchReadModels, stack } from '../readmodels/support/scratch-read-models.js';

// A full rebuild writes a new generation of each read model (Postgres tables in a new schema,
// Neo4j labels) while the old one keeps serving and the live projectors keep writing into it;
// then the live writers are held back, the last records read, and the read models switch over in
// one step. Scratch projection versions, serving namespace and serving record of their own, with
// live projectors that hold only this test's tenant — the stack's own read models are untouched.
const tenant = uniqueTenant('rebuild-gen');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const scratch = new ScratchReadModels();
let postgres: Projection;
let graph: Neo4jReadModel;
const running: RunningProjector[] = [];
let diagramId: string;
let version: number;
const id: Record<string, string> = {};

beforeAll(async () => {
  ({ diagramId, version } = await client.createDiagram('generations'));
  await propose([
    shape('s', 'bpmn:StartEvent', 100, 100, 'start'),
    task('a', 250, 'A'),
    shape('o', 'bpmn:Task', 250, 300, 'orphan'),
  ]);
  await propose([flow('f', id.s!, id.a!)]);
  postgres = await scratch.postgresProjection();
  graph = await scratch.graphReadModel();
  for (const projection of [postgres, graph.projection]) {
    running.push(await scratch.startLive(projection, tenant));
  }
  await scratch.waitApplied([postgres, graph.projection], tenant, diagramId, version);
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  client.close();
  await graph?.close();
  await scratch.cleanUp();
});

describe('a full rebuild into a new generation', () => {
  it('keeps serving the old content while it builds, loses nothing written meanwhile, then serves the new', async () => {
    // The serving content, made wrong on purpose: a rebuild must put it right, and until the
    // switch queries must keep answering with it (not with nothing).
    const oldSchema = await scratch.postgresSchema();
    await scratch.pool.query(`UPDATE ${oldSchema}.diagrams SET element_count = 999 WHERE tenant_id = $1`, [tenant]);
    await scratch.renameNode(graph, tenant, diagramId, id.o!, 'stale');
    const during: unknown[] = [];

    await rebuildProjections({
      projections: [postgres, graph.projection],
      brokers: stack.kafka.brokers,
      registryUrl: stack.schemaRegistry.url,
      ledger: createLedger({ pool: scratch.pool }),
      projectedTenants: [tenant],
      onPhase: async (phase) => {
        if (phase !== 'built') return;
        during.push(await elementCount(), await unreachableNames());
        // Written by the live projectors into the old generation while the new one is built.
        await propose([{ kind: 'updateProperties', elementId: id.a!, properties: { name: 'during the rebuild' } }]);
      },
    });

    expect(during).toEqual([999, ['stale']]);
    expect(await scratch.postgresSchema()).toBe(`${oldSchema}_g2`);
    expect(await scratch.schemaExists(oldSchema)).toBe(false);
    expect(await scratch.neo4jGeneration()).toBe(2);
    expect(await scratch.nodesUnder(`Bpmn_v${scratch.neo4jVersion}`)).toBe(0);
    expect(await elementCount()).toBe(await commandSideElements());
    expect(await unreachableNames()).toEqual(['orphan']);
    expect(await elementName(id.a!)).toBe('during the rebuild');
    expect(await scratch.differences(postgres, graph, tenant, diagramId)).toEqual([]);
  }, 180_000);

  it('lets the live projectors go on writing into the new generation', async () => {
    await propose([{ kind: 'updateProperties', elementId: id.a!, properties: { name: 'after the switch' } }]);

    expect(await elementName(id.a!)).toBe('after the switch');
    const answer = await graph.queries.findPaths(
      { tenantId: tenant, diagramId },
      { fromId: id.s!, toId: id.a!, mode: 'shortest' },
    );
    expect(answer).toMatchObject({ appliedVersion: version, paths: [{ elementIds: [id.s, id.a] }] });
    expect(await scratch.differences(postgres, graph, tenant, diagramId)).toEqual([]);
  }, 60_000);
});

/** Proposes on the current version and waits until both scratch read models have applied it. */
async function propose(operations: Parameters<SteadyClient['propose']>[2]): Promise<void> {
  const r = await client.propose(diagramId, version, operations);
  if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.code} ${r.rejected.message}`);
  version = r.applied.version;
  Object.assign(id, r.applied.idMap);
  if (postgres) await scratch.waitApplied([postgres, graph.projection], tenant, diagramId, version);
}

/** Through the scratch namespace's views: what readers of the Postgres read model see. */
async function elementCount(): Promise<number> {
  const { rows } = await scratch.pool.query<{ element_count: number }>(
    `SELECT element_count FROM ${scratch.namespace}.diagrams WHERE tenant_id = $1 AND diagram_id = $2`,
    [tenant, diagramId],
  );
  return rows[0]!.element_count;
}

async function elementName(elementId: string): Promise<string | null> {
  const { rows } = await scratch.pool.query<{ name: string | null }>(
    `SELECT name FROM ${scratch.namespace}.elements WHERE tenant_id = $1 AND diagram_id = $2 AND element_id = $3`,
    [tenant, diagramId, elementId],
  );
  return rows[0]!.name;
}

/** The elements GetDiagram's XML has (what `element_count` counts). */
async function commandSideElements(): Promise<number> {
  const { xml } = await client.getDiagram(diagramId, version);
  return semanticSummary(await parseDiagram(xml)).elements.length;
}

/** Through the graph queries, which read the serving version's current generation. */
async function unreachableNames(): Promise<(string | null)[]> {
  return (await graph.queries.findUnreachable({ tenantId: tenant, diagramId })).elements.map((e) => e.name);
}

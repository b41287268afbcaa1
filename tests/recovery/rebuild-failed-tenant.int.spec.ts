import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventCodec, diagramEventsTopic } from '@flowledger/events';
import { createKafkaProducer } from '@flowledger/kafka';
import { createLedger } from '@flowledger/ledger';
import { rebuildProjections, type Projection, type RunningProjector } from '@flowledger/projection';
import type { Neo4jReadModel } from '../../projectors/src/neo4j/index.js';
import { flow, shape, task } from '../support/proposal-operations.js';
import { uniqueTenant } from '../support/test-tenant.js';
import { SteadyClient } from '../readmodels/support/steady-client.js';
import { ScratchReadModels, stack } from '../readmodels/support/scratch-read-models.js';
import { servedContent } from '../readmodels/support/served-content.js';

// One damaged stream must not hold back the recovery of every other tenant: a rebuild that meets
// an event it cannot replay fails that tenant only. The others are rebuilt and switched over; the
// failed tenant keeps exactly what served it before (carried into a full rebuild's new generation,
// left out of a tenant rebuild's replacement), and the report names the diagram, version and code.
// Scratch read models with live projectors of this file's two tenants only.
const healthy = uniqueTenant('rebuild-ok');
const damaged = uniqueTenant('rebuild-damaged');
const scratch = new ScratchReadModels();
const clients = new Map([healthy, damaged].map((t) => [t, new SteadyClient(t, 'alice', ['editor'])]));
const diagrams = new Map<string, { diagramId: string; version: number; id: Record<string, string> }>();
let postgres: Projection;
let graph: Neo4jReadModel;
const running: RunningProjector[] = [];

beforeAll(async () => {
  for (const [tenant, client] of clients) {
    const { diagramId, version } = await client.createDiagram('failed tenant');
    const d = { diagramId, version, id: {} as Record<string, string> };
    diagrams.set(tenant, d);
    await propose(tenant, [shape('s', 'bpmn:StartEvent', 100, 100, 'start'), task('a', 250, 'A')]);
    await propose(tenant, [flow('f', d.id.s!, d.id.a!)]);
  }
  postgres = await scratch.postgresProjection();
  graph = await scratch.graphReadModel(undefined, { dropDelayMs: 100 }); // no questions in flight at its switch
  for (const projection of [postgres, graph.projection]) {
    running.push(await scratch.startLive(projection, { tenants: [healthy, damaged] }));
  }
  for (const [tenant, d] of diagrams) {
    await scratch.waitApplied([postgres, graph.projection], tenant, d.diagramId, d.version);
  }
  await publishUnreplayableEvents(damaged);
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  for (const client of clients.values()) client.close();
  await graph?.close();
  await scratch.cleanUp();
});

describe('a rebuild meeting a stream it cannot replay', () => {
  it('full rebuild: switches to the new generation with the healthy tenant rebuilt and the damaged one carried over as it was', async () => {
    await spoil(healthy, 999);
    await spoil(damaged, 998);
    const before = await content(damaged);
    const oldSchema = await scratch.postgresSchema();

    const report = await rebuild({ projectedTenants: [healthy, damaged] });

    expect(report.failures).toEqual([failureOf(damaged)]);
    expect(report.skippedEvents).toBe(1);
    expect(await scratch.postgresSchema()).toBe(`${oldSchema}_g2`);
    expect(await scratch.neo4jGeneration()).toBe(2);
    expect(await scratch.nodesUnder(`Bpmn_v${scratch.neo4jVersion}`)).toBe(0);
    expect(await differences(healthy)).toEqual([]);
    expect(await content(damaged)).toEqual(before);
    expect(JSON.stringify(before)).toContain('998'); // what was spoiled stays: nothing of the damaged stream replaced it
  }, 180_000);

  it('tenant rebuild: replaces the healthy tenant’s rows and graph and leaves the damaged tenant’s alone', async () => {
    await spoil(healthy, 997);
    const before = await content(damaged);

    const report = await rebuild({ tenants: [healthy, damaged] });

    expect(report.failures).toEqual([failureOf(damaged)]);
    expect(report.skippedEvents).toBe(1);
    expect(await differences(healthy)).toEqual([]);
    expect(await content(damaged)).toEqual(before);
  }, 180_000);
});

function rebuild(scope: { tenants?: string[]; projectedTenants?: string[] }) {
  return rebuildProjections({
    projections: [postgres, graph.projection],
    brokers: stack.kafka.brokers,
    registryUrl: stack.schemaRegistry.url,
    ledger: createLedger({ pool: scratch.pool }),
    ...scope,
  });
}

/** What the report says of the damaged tenant: its diagram, the version after the ledger's last, the code. */
function failureOf(tenant: string) {
  const d = diagrams.get(tenant)!;
  return {
    tenantId: tenant,
    diagramId: d.diagramId,
    version: d.version + 1,
    code: 'REPLAY_FAILED',
    message: expect.stringContaining('nowhere') as unknown as string,
  };
}

/**
 * Records on the tenant's topic that no replay can apply (an element that does not exist), the
 * two versions after the ledger's last: what a damaged or foreign stream looks like to a rebuild.
 * The first fails the tenant; the second is read and skipped.
 */
async function publishUnreplayableEvents(tenant: string): Promise<void> {
  const d = diagrams.get(tenant)!;
  const [last] = await scratch.ledger.readEvents(tenant, d.diagramId, d.version, d.version);
  const codec = createEventCodec({ registryUrl: stack.schemaRegistry.url });
  const producer = createKafkaProducer({ brokers: stack.kafka.brokers, clientId: `rebuild-failed-${process.pid}` });
  try {
    for (const version of [d.version + 1, d.version + 2]) {
      const value = await codec.encode({
        ...last!,
        version,
        baseVersion: version - 1,
        transactionId: `tx-damaged-${version}`,
        operations: [{ kind: 'updateProperties', elementId: 'nowhere', properties: { name: 'x' } }],
      });
      await producer.send([{ topic: diagramEventsTopic(tenant), key: d.diagramId, value }]);
    }
  } finally {
    await producer.close();
  }
}

/** Makes the tenant's serving content wrong, in both read models, in a way a rebuild would put right. */
async function spoil(tenant: string, elementCount: number): Promise<void> {
  const d = diagrams.get(tenant)!;
  const schema = await scratch.postgresSchema();
  await scratch.pool.query(`UPDATE ${schema}.diagrams SET element_count = $2 WHERE tenant_id = $1`, [
    tenant,
    elementCount,
  ]);
  await scratch.renameNode(graph, tenant, d.diagramId, d.id.a!, `spoiled ${elementCount}`);
}

/** What both read models serve for the tenant's diagram. */
const content = (tenant: string) => servedContent(scratch, tenant, [diagrams.get(tenant)!.diagramId]);

function differences(tenant: string) {
  return scratch.differences(postgres, graph, tenant, diagrams.get(tenant)!.diagramId);
}

async function propose(tenant: string, operations: Parameters<SteadyClient['propose']>[2]): Promise<void> {
  const d = diagrams.get(tenant)!;
  const r = await clients.get(tenant)!.propose(d.diagramId, d.version, operations);
  if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.code} ${r.rejected.message}`);
  d.version = r.applied.version;
  Object.assign(d.id, r.applied.idMap);
}

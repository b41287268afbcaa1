import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventCodec, diagramEventsTopic } from '@flowledger/events';
import { createKafkaProducer } from '@flowledger/kafka';
import { createLedger } from '@flowledger/ledger';
import { readGraphContent } from '../../projectors/src/neo4j/index.js';
import { readPostgresContent } from '../../projectors/src/postgres/read-model-content.js';
import { LiveReadModels } from '../readmodels/support/live-read-models.js';
import { stack } from '../readmodels/support/scratch-read-models.js';
import { clientFor, uniqueTenant } from '../support/test-tenant.js';
import { buildDiagram, flowledger } from './recovery-fixtures.js';

// What an SRE runs after a disaster: `rebuild --read-model all` with no tenant, a full rebuild of
// the stack's own read models from every tenant's stream. A tenant whose topic holds an event no
// replay can apply must not hold back the others: the command rebuilds them, leaves that tenant's
// rows, graph and snapshots as they served, names it and exits 1. (Whatever other tenants the
// shared stack holds are rebuilt too; only this file's two are looked at.)
const healthy = uniqueTenant('rebuild-all-ok');
const damaged = uniqueTenant('rebuild-all-damaged');
const VERSIONS = 4;
const live = new LiveReadModels();
const diagrams = new Map<string, string>();

beforeAll(async () => {
  for (const tenant of [healthy, damaged]) {
    const client = clientFor(tenant, 'alice', ['editor']);
    try {
      diagrams.set(tenant, await buildDiagram(client, 'rebuild all', VERSIONS));
    } finally {
      client.close();
    }
    await live.waitForAll(tenant, diagrams.get(tenant)!, VERSIONS);
  }
  await publishUnreplayableEvent(damaged);
}, 180_000);

afterAll(() => live.close());

describe('rebuild of every tenant', () => {
  it('rebuilds the healthy tenants, leaves a tenant whose stream does not replay as it served, names it and exits 1', async () => {
    const healthyBefore = await content(healthy);
    const healthyParts = await spoiledParts(healthy);
    await spoil(healthy);
    await spoil(damaged);
    const damagedBefore = await content(damaged);

    const rebuilt = await flowledger(['rebuild', '--read-model', 'all']);

    expect(rebuilt.code).toBe(1);
    expect(rebuilt.stderr).toContain('not rebuilt, their read models left as they were');
    expect(rebuilt.stderr).toContain(
      `${damaged}: REPLAY_FAILED: ${damaged}/${diagrams.get(damaged)} v${VERSIONS + 1}: replay failed`,
    );
    expect(rebuilt.stderr).not.toContain(`${healthy}:`);
    expect(await content(healthy)).toEqual(healthyBefore);
    expect(await content(damaged)).toEqual(damagedBefore);
    // Both read models of the damaged tenant still hold what was spoiled; the healthy one's were put right.
    expect(await spoiledParts(damaged)).toEqual([999, 'spoiled']);
    expect(await spoiledParts(healthy)).toEqual(healthyParts);
    expect(healthyParts).not.toContain('spoiled');
    expect((await flowledger(['verify', '--tenant', healthy])).code).toBe(0);
  }, 240_000);
});

/** One version after the ledger's last, an operation on an element that does not exist. */
async function publishUnreplayableEvent(tenant: string): Promise<void> {
  const diagramId = diagrams.get(tenant)!;
  const [last] = await createLedger({ pool: live.pool }).readEvents(tenant, diagramId, VERSIONS, VERSIONS);
  const codec = createEventCodec({ registryUrl: stack.schemaRegistry.url });
  const producer = createKafkaProducer({ brokers: stack.kafka.brokers, clientId: `rebuild-all-${process.pid}` });
  try {
    const value = await codec.encode({
      ...last!,
      version: VERSIONS + 1,
      baseVersion: VERSIONS,
      transactionId: 'tx-damaged',
      operations: [{ kind: 'updateProperties', elementId: 'nowhere', properties: { name: 'x' } }],
    });
    await producer.send([{ topic: diagramEventsTopic(tenant), key: diagramId, value }]);
  } finally {
    await producer.close();
  }
}

/** Serving content a rebuild of the tenant would put right: a wrong count and a renamed node. */
async function spoil(tenant: string): Promise<void> {
  const diagramId = diagrams.get(tenant)!;
  const schema = await live.postgresSchema();
  await live.pool.query(`UPDATE ${schema}.diagrams SET element_count = 999 WHERE tenant_id = $1`, [tenant]);
  const labels = await live.servingLabels();
  await live.driver.executeQuery(
    `MATCH (n:${labels.element} {tenant_id: $t, diagram_id: $d, element_id: 'Task_2_1'}) SET n.name = 'spoiled'`,
    { t: tenant, d: diagramId },
  );
}

/** The diagram's element count in Postgres and its first task's name in Neo4j: what `spoil` changes. */
async function spoiledParts(tenant: string): Promise<[number, string]> {
  const diagramId = diagrams.get(tenant)!;
  const { rows } = await live.pool.query<{ element_count: number }>(
    `SELECT element_count FROM ${await live.postgresSchema()}.diagrams WHERE tenant_id = $1 AND diagram_id = $2`,
    [tenant, diagramId],
  );
  const labels = await live.servingLabels();
  const { records } = await live.driver.executeQuery(
    `MATCH (n:${labels.element} {tenant_id: $t, diagram_id: $d, element_id: 'Task_2_1'}) RETURN n.name AS name`,
    { t: tenant, d: diagramId },
  );
  return [rows[0]!.element_count, records[0]!.get('name') as string];
}

async function content(tenant: string): Promise<unknown[]> {
  const diagramId = diagrams.get(tenant)!;
  return [
    await readPostgresContent(live.pool, await live.postgresSchema(), tenant, diagramId),
    await readGraphContent(live.driver, await live.servingLabels(), tenant, diagramId),
  ];
}

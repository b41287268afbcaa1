import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { createLedger } from '@flowledger/ledger';
import { rebuildProjections } from '@flowledger/projection';
import { openReadModel, type OpenReadModel } from '../../cli/src/recovery/read-models.js';
import { readGraphContent } from '../../projectors/src/neo4j/index.js';
import { readPostgresContent } from '../../projectors/src/postgres/read-model-content.js';
import { tenantBuildSchema } from '../../projectors/src/postgres/read-model-schema.js';
import { REBUILT_HISTORY } from '../../projectors/src/postgres/staged-history.js';
import { devToken } from '../support/modeling-client.js';
import { flow, rename, shape, task } from '../support/proposal-operations.js';
import { QueryClient } from '../support/query-client.js';
import { uniqueTenant } from '../support/test-tenant.js';
import { LiveReadModels } from '../readmodels/support/live-read-models.js';
import { SteadyClient } from '../readmodels/support/steady-client.js';
import { flowledger } from './recovery-fixtures.js';

// A rebuild of one tenant of the stack's own read models, as `flowledger rebuild --tenant` does
// it: built beside the serving rows and nodes, which the Query API (through Envoy) keeps
// answering from until one transaction replaces them; then a Neo4j drop-and-rebuild of the
// tenant gives back the same nodes and relationships.
const config = loadStackConfig();
const tenant = uniqueTenant('rebuild-serving');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const query = new QueryClient(devToken(tenant, 'vera', ['viewer']));
const live = new LiveReadModels();
let diagramId: string;
let version: number;
const id: Record<string, string> = {};

beforeAll(async () => {
  ({ diagramId, version } = await client.createDiagram('served during rebuilds'));
  await propose([
    shape('s', 'bpmn:StartEvent', 100, 100, 'start'),
    task('a', 250, 'A'),
    shape('o', 'bpmn:Task', 250, 300, 'orphan'),
  ]);
  await propose([flow('f', id.s!, id.a!)]);
}, 60_000);

afterAll(async () => {
  client.close();
  query.close();
  await live.close();
});

describe('rebuilding a tenant of the live read models', () => {
  it('answers queries from the old rows and nodes while it builds, from the rebuilt ones after', async () => {
    const correctCount = (await stats()).elementCount;
    await live.pool.query(
      `UPDATE ${await live.postgresSchema()}.diagrams SET element_count = 999 WHERE tenant_id = $1 AND diagram_id = $2`,
      [tenant, diagramId],
    );
    const labels = await live.servingLabels();
    await live.driver.executeQuery(
      `MATCH (n:${labels.element} {tenant_id: $t, diagram_id: $d, element_id: $id}) SET n.name = 'stale'`,
      { t: tenant, d: diagramId, id: id.o },
    );
    const models: OpenReadModel[] = [];
    for (const name of ['postgres', 'neo4j'] as const) {
      models.push(await openReadModel(name, { config, pool: live.pool, clientId: `rebuild-serving-${process.pid}` }));
    }
    const during: unknown[] = [];

    try {
      await rebuildProjections({
        projections: models.map((m) => m.projection),
        brokers: config.kafka.brokers,
        registryUrl: config.schemaRegistry.url,
        ledger: createLedger({ pool: live.pool }),
        tenants: [tenant],
        onPhase: async (phase) => {
          if (phase !== 'built') return;
          during.push(
            (await stats()).elementCount,
            await unreachableNames(),
            await builtRows(REBUILT_HISTORY),
            version,
            await builtRows('elements'),
          );
          await propose([{ kind: 'updateProperties', elementId: id.a!, properties: { name: 'during the rebuild' } }]);
        },
      });
    } finally {
      for (const m of models) await m.close();
    }

    // Served: the old rows and nodes. Built by then: the tenant's history and its diagrams' state,
    // which the switch wrote again for the change made after (its element's new name, below).
    const [servedCount, servedNames, builtHistory, versionThen, builtElements] = during;
    expect([servedCount, servedNames]).toEqual([999, ['stale']]);
    expect(builtHistory).toBe(versionThen);
    expect(builtElements).toBe(correctCount);
    expect((await stats()).elementCount).toBe(correctCount);
    expect(await unreachableNames()).toEqual(['orphan']);
    const row = await live.pool.query<{ name: string }>(
      'SELECT name FROM read_model.elements WHERE tenant_id = $1 AND diagram_id = $2 AND element_id = $3',
      [tenant, diagramId, id.a],
    );
    expect(row.rows).toEqual([{ name: 'during the rebuild' }]);
    expect(await live.waitForAll(tenant, diagramId, version)).toMatchObject({ postgres: version, neo4j: version });
  }, 120_000);

  it('repairs every wrong Postgres row of the tenant — changed, missing or extra, in each table — and keeps the rest', async () => {
    await propose([rename(id.o!, 'orphan, renamed')]); // a version row of its own for each corruption below
    const schema = await live.postgresSchema();
    const content = () => readPostgresContent(live.pool, schema, tenant, diagramId);
    const findings = async () => {
      const rows = async (sql: string) => (await live.pool.query(sql, [tenant, diagramId])).rows;
      return {
        counts: await rows(
          `SELECT version, lint_warning_count FROM ${schema}.versions WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version`,
        ),
        current: await rows(`SELECT lint_warnings FROM ${schema}.diagrams WHERE tenant_id = $1 AND diagram_id = $2`),
      };
    };
    const before = { content: await content(), findings: await findings() };
    const scope = 'tenant_id = $1 AND diagram_id = $2';
    for (const corruption of [
      `UPDATE ${schema}.versions SET actor_id = 'mallory' WHERE ${scope} AND version = 2`,
      `UPDATE ${schema}.versions SET lint_warning_count = lint_warning_count + 7 WHERE ${scope} AND version = 3`,
      `UPDATE ${schema}.versions SET run_id = CASE WHEN run_id IS NULL THEN 'forged' END WHERE ${scope} AND version = 4`,
      `DELETE FROM ${schema}.versions WHERE ${scope} AND version = 1`,
      `INSERT INTO ${schema}.versions SELECT tenant_id, diagram_id, 999, event_type, transaction_id, actor_id, actor_kind,
         run_id, occurred_at, operation_count, result_hash, lint_warning_count FROM ${schema}.versions WHERE ${scope} AND version = 2`,
      `UPDATE ${schema}.diagrams SET lint_warnings = '[{"rule":"forged"}]' WHERE ${scope}`,
      `UPDATE ${schema}.elements SET name = 'wrong' WHERE ${scope} AND element_type = 'bpmn:StartEvent'`,
      `INSERT INTO ${schema}.elements (tenant_id, diagram_id, element_id, element_type, name, parent_id)
         VALUES ($1, $2, 'ghost', 'bpmn:Task', 'ghost', NULL)`,
      `DELETE FROM ${schema}.flows WHERE ${scope}`,
      `UPDATE ${schema}.actor_activity SET edits = edits + 5 WHERE ${scope}`,
    ]) {
      await live.pool.query(corruption, [tenant, diagramId]);
    }
    expect(await content()).not.toEqual(before.content);
    expect(await findings()).not.toEqual(before.findings);

    const rebuilt = await flowledger(['rebuild', '--read-model', 'postgres', '--tenant', tenant]);

    expect(rebuilt.code).toBe(0);
    expect(await content()).toEqual(before.content);
    expect(await findings()).toEqual(before.findings);
  }, 120_000);

  it('gives back the same graph, node by node and relationship by relationship, after a Neo4j drop and rebuild', async () => {
    const before = await graphContent();
    const postgresBefore = await readPostgresContent(live.pool, await live.postgresSchema(), tenant, diagramId);
    expect(before.nodes.size).toBeGreaterThan(3);
    const graph = await openReadModel('neo4j', { config, pool: live.pool, clientId: `rebuild-serving-${process.pid}` });
    await graph.projection.sink.reset(tenant);
    await graph.close();
    expect((await graphContent()).nodes.size).toBe(0);

    const rebuilt = await flowledger(['rebuild', '--read-model', 'neo4j', '--tenant', tenant]);

    expect(rebuilt.code).toBe(0);
    expect(await graphContent()).toEqual(before);
    expect(await readPostgresContent(live.pool, await live.postgresSchema(), tenant, diagramId)).toEqual(
      postgresBefore,
    );
  }, 120_000);
});

async function propose(operations: Parameters<SteadyClient['propose']>[2]): Promise<void> {
  const r = await client.propose(diagramId, version, operations);
  if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.code} ${r.rejected.message}`);
  version = r.applied.version;
  Object.assign(id, r.applied.idMap);
  await live.waitForAll(tenant, diagramId, version);
}

/** Through Envoy, as a viewer of the tenant: what the Query API answers from Postgres. */
function stats(): Promise<{ elementCount: number }> {
  return query.call<{ elementCount: number }>('GetDiagramStats', { diagramId });
}

/** …and from Neo4j. */
async function unreachableNames(): Promise<string[]> {
  const { elements } = await query.call<{ elements: { name: string }[] }>('FindUnreachable', { diagramId });
  return elements.map((e) => e.name);
}

/** The diagram's rows in a table of the tenant build, beside the serving tables (`rm_postgres_vN_build`). */
async function builtRows(table: string): Promise<number> {
  const { rows: active } = await live.pool.query<{ version: number }>(
    `SELECT version FROM read_model.projection_versions WHERE state = 'active'`,
  );
  const { rows } = await live.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${tenantBuildSchema(active[0]!.version)}.${table} WHERE tenant_id = $1 AND diagram_id = $2`,
    [tenant, diagramId],
  );
  return rows[0]!.n;
}

function graphContent() {
  return live.servingLabels().then((labels) => readGraphContent(live.driver, labels, tenant, diagramId));
}

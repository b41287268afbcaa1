import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import neo4j, { type Driver } from 'neo4j-driver';
import { loadStackConfig } from '@flowledger/config';
import {
  beginNeo4jBuild,
  createNeo4jSink,
  dropGraphSchema,
  ensureGraphSchema,
  graphLabels,
  tenantBuildLabels,
  type GraphLabels,
} from '../../../projectors/src/neo4j/index.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { TEST_PROJECTION_VERSION } from './support/neo4j-read-model.js';

// A tenant rebuild replaces the tenant's serving graph by its build. Done in one transaction,
// a tenant of ~20,000 nodes exceeds Neo4j's transaction-memory limit (128 MiB in the embedded
// stack) and the rebuild fails; the switch goes in steps of bounded size instead. The graph is
// written here directly (a rebuild of that many events would take minutes): 120 diagrams of a
// 200-task chain each, served and built, plus another tenant that must stay untouched.
const { url, username, password } = loadStackConfig().neo4j;
const VERSION = TEST_PROJECTION_VERSION + 3; // no projector writes it
const serving = graphLabels(VERSION);
const build = tenantBuildLabels(VERSION);
const tenant = uniqueTenant('neo4j-switch');
const other = uniqueTenant('neo4j-switch-other');
const servingName = `test-${tenant}`;
const DIAGRAMS = 120;
const TASKS = 200;
let driver: Driver;

beforeAll(async () => {
  driver = neo4j.driver(url, neo4j.auth.basic(username, password));
  await ensureGraphSchema(driver, serving);
  await writeChains(serving, tenant, DIAGRAMS, 'served');
  await writeChains(serving, other, 2, 'other tenant');
}, 180_000);

afterAll(async () => {
  const sink = createNeo4jSink({ driver, labels: serving });
  for (const t of [tenant, other]) await sink.reset(t);
  await driver.executeQuery('MATCH (g:GraphProjectionVersion {name: $servingName}) DELETE g', { servingName });
  await dropGraphSchema(driver, build).catch(() => undefined);
  await driver.close();
}, 120_000);

describe('the switch of a large tenant build', () => {
  it('replaces every diagram of the tenant in bounded transactions, and nothing of another tenant', async () => {
    const rebuild = await beginNeo4jBuild({
      driver,
      version: VERSION,
      servingName,
      tenants: [tenant],
      sinkFor: (labels) => createNeo4jSink({ driver, labels, fixed: true }),
    });
    await writeChains(build, tenant, DIAGRAMS, 'rebuilt');

    await rebuild.freeze();
    await rebuild.switchOver();

    expect(await names(serving, tenant)).toEqual([{ name: 'rebuilt', nodes: DIAGRAMS * TASKS }]);
    expect(await flows(serving, tenant)).toBe(DIAGRAMS * (TASKS - 1));
    expect(await diagramNodes(serving, tenant)).toBe(DIAGRAMS);
    expect(await names(build, tenant)).toEqual([]);
    expect(await names(serving, other)).toEqual([{ name: 'other tenant', nodes: 2 * TASKS }]);
    expect(await flows(serving, other)).toBe(2 * (TASKS - 1));
  }, 300_000);
});

/** `count` diagrams of `TASKS` tasks in a chain of sequence flows, and their diagram nodes. */
async function writeChains(labels: GraphLabels, tenantId: string, count: number, name: string): Promise<void> {
  for (let first = 0; first < count; first += 20) {
    const diagramIds = Array.from({ length: Math.min(20, count - first) }, (_, i) => `d${first + i}`);
    await driver.executeQuery(
      `UNWIND $diagramIds AS diagramId
CREATE (d:${labels.diagram} {tenant_id: $tenantId, diagram_id: diagramId, applied_version: 1})
WITH diagramId
UNWIND range(0, $tasks - 1) AS i
CREATE (n:${labels.element}:Task {tenant_id: $tenantId, diagram_id: diagramId, element_id: 'task' + i, name: $name,
  x: i * 150, y: 100, width: 100, height: 80})
WITH diagramId, collect(n) AS chain
UNWIND range(1, size(chain) - 1) AS i
WITH chain[i - 1] AS a, chain[i] AS b
CREATE (a)-[:SEQUENCE_FLOW {element_id: 'flow-' + b.element_id, name: 'next'}]->(b)`,
      { diagramIds, tenantId, tasks: TASKS, name },
    );
  }
}

async function names(labels: GraphLabels, tenantId: string): Promise<{ name: string; nodes: number }[]> {
  const { records } = await driver.executeQuery(
    `MATCH (n:${labels.element} {tenant_id: $tenantId}) RETURN n.name AS name, count(*) AS nodes ORDER BY name`,
    { tenantId },
  );
  return records.map((r) => ({ name: r.get('name') as string, nodes: Number(r.get('nodes')) }));
}

async function flows(labels: GraphLabels, tenantId: string): Promise<number> {
  const { records } = await driver.executeQuery(
    `MATCH (:${labels.element} {tenant_id: $tenantId})-[r:SEQUENCE_FLOW]->(:${labels.element}) RETURN count(r) AS flows`,
    { tenantId },
  );
  return Number(records[0]!.get('flows'));
}

async function diagramNodes(labels: GraphLabels, tenantId: string): Promise<number> {
  const { records } = await driver.executeQuery(
    `MATCH (d:${labels.diagram} {tenant_id: $tenantId}) RETURN count(d) AS diagrams`,
    { tenantId },
  );
  return Number(records[0]!.get('diagrams'));
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import neo4j, { type Driver } from 'neo4j-driver';
import { loadStackConfig } from '@flowledger/config';
import type { ProjectedChange } from '@flowledger/projection';
import {
  beginNeo4jBuild,
  createNeo4jSink,
  diagramGraph,
  diffGraphContent,
  dropGraphSchema,
  ensureGraphSchema,
  graphLabels,
  readGraphContent,
  type ReconcileOutcome,
} from '../../../projectors/src/neo4j/index.js';
import { SyntheticDiagram } from '../../../projectors/src/neo4j/bench/synthetic-changes.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { TEST_PROJECTION_VERSION } from './support/neo4j-read-model.js';

// A tenant rebuild reconciles the serving graph with the rebuilt one in place: only what differs
// is written, diagram by diagram in transactions of bounded size. A tenant of 120 diagrams of a
// 200-task chain (24,000 nodes) is rebuilt twice: first into an empty serving graph — everything
// written; one transaction for all of it would exceed Neo4j's transaction memory (128 MiB in the
// embedded stack) — then after damage to a few diagrams, of which only those are written.
const { url, username, password } = loadStackConfig().neo4j;
const VERSION = TEST_PROJECTION_VERSION + 3; // no projector writes it
const serving = graphLabels(VERSION);
const tenant = uniqueTenant('neo4j-reconcile');
const other = uniqueTenant('neo4j-reconcile-other');
const servingName = `test-${tenant}`;
const DIAGRAMS = 120;
const TASKS = 200;
let driver: Driver;
const changes: ProjectedChange[] = [];
const synthetic: SyntheticDiagram[] = [];

beforeAll(async () => {
  driver = neo4j.driver(url, neo4j.auth.basic(username, password));
  await ensureGraphSchema(driver, serving);
  for (let d = 0; d < DIAGRAMS; d++) {
    const [diagram, created] = await SyntheticDiagram.create(tenant, `d${d}`, chainXml(TASKS));
    synthetic.push(diagram);
    changes.push(created);
  }
  const [, foreign] = await SyntheticDiagram.create(other, 'd0', chainXml(TASKS));
  await createNeo4jSink({ driver, labels: serving, servingName }).applyBatch([foreign]);
}, 180_000);

afterAll(async () => {
  const sink = createNeo4jSink({ driver, labels: serving, servingName });
  for (const t of [tenant, other]) await sink.reset(t);
  await driver.executeQuery('MATCH (g:GraphProjectionVersion {name: $servingName}) DELETE g', { servingName });
  await dropGraphSchema(driver, serving).catch(() => undefined);
  await driver.close();
}, 120_000);

describe('a tenant rebuild of the graph', () => {
  it('writes a whole tenant into an empty serving graph in bounded transactions', async () => {
    const outcomes = await rebuildTenant();

    expect(count(outcomes)).toEqual({ diff: DIAGRAMS });
    expect(await taskCount(tenant)).toBe(DIAGRAMS * TASKS);
    for (const c of changes) expect(await differences(c)).toEqual([]);
  }, 300_000);

  it('writes only the damaged diagrams, replaces what a diff cannot describe, deletes what the streams lack', async () => {
    const otherBefore = await readGraphContent(driver, serving, other, 'd0');
    await damage(
      'd0',
      `MATCH (n:${serving.element} {tenant_id: $t, diagram_id: 'd0', element_id: 'task7'}) SET n.name = 'stale', n.extra = 'x'`,
    );
    await damage(
      'd1',
      `MATCH (n:${serving.element} {tenant_id: $t, diagram_id: 'd1', element_id: 'task3'}) DETACH DELETE n`,
    );
    await damage(
      'd2',
      `MATCH (:${serving.element} {tenant_id: $t, diagram_id: 'd2'})-[r:SEQUENCE_FLOW {element_id: 'flow9'}]->() DELETE r`,
    );
    await damage(
      'd3',
      `MATCH (n:${serving.element} {tenant_id: $t, diagram_id: 'd3', element_id: 'task1'}) SET n:Forged`,
    );
    await damage(
      'd4',
      `MATCH (a:${serving.element} {tenant_id: $t, diagram_id: 'd4', element_id: 'task1'}),
             (b:${serving.element} {tenant_id: $t, diagram_id: 'd5', element_id: 'task1'})
       CREATE (a)-[:SEQUENCE_FLOW {element_id: 'crossing'}]->(b)`,
    );
    await damage(
      'ghost',
      `CREATE (:${serving.diagram} {tenant_id: $t, diagram_id: 'ghost', applied_version: 9})
       CREATE (:${serving.element}:Task {tenant_id: $t, diagram_id: 'ghost', element_id: 'x'})`,
    );
    await damage('d5', `MATCH (d:${serving.diagram} {tenant_id: $t, diagram_id: 'd5'}) SET d.applied_version = 0`);

    const outcomes = await rebuildTenant();

    expect(count(outcomes)).toEqual({ unchanged: DIAGRAMS - 6, diff: 5, replaced: 1, deleted: 1 });
    expect(['d0', 'd1', 'd2', 'd3', 'd5'].map((d) => outcomes.get(d))).toEqual([
      'diff',
      'diff',
      'diff',
      'diff',
      'diff',
    ]);
    expect([outcomes.get('d4'), outcomes.get('ghost')]).toEqual(['replaced', 'deleted']);
    for (const c of changes) expect(await differences(c)).toEqual([]);
    expect(await taskCount(tenant)).toBe(DIAGRAMS * TASKS);
    const ghost = await readGraphContent(driver, serving, tenant, 'ghost');
    expect([ghost.appliedVersion, ghost.nodes.size]).toEqual([0, 0]);
    expect(await readGraphContent(driver, serving, other, 'd0')).toEqual(otherBefore);
  }, 300_000);

  it('reads again at the switch a diagram that a live write changed after the build read what serves', async () => {
    // given a build that has read what serves (its settle waits for that read)
    const build = await beginBuild();
    await build.sink.applyBatch!(changes);
    await build.settle!();

    // when a live write adds two tasks and a flow between them to d6, which the streams then bring the build too
    const grown = await synthetic[6]!.change([
      {
        kind: 'createShape',
        id: 'a',
        type: 'bpmn:Task',
        parentId: '',
        bounds: { x: 0, y: 0, width: 100, height: 80 },
        name: 'A',
      },
      {
        kind: 'createShape',
        id: 'b',
        type: 'bpmn:Task',
        parentId: '',
        bounds: { x: 200, y: 0, width: 100, height: 80 },
        name: 'B',
      },
      {
        kind: 'createConnection',
        id: 'f',
        type: 'bpmn:SequenceFlow',
        sourceId: 'a',
        targetId: 'b',
        waypoints: [],
        name: '',
      },
    ]);
    await createNeo4jSink({ driver, labels: serving, servingName }).applyBatch([grown]);
    changes[6] = grown;
    await build.sink.applyBatch!([grown]);
    const outcomes = await finish(build);

    // then d6 was read again, found as rebuilt and left alone: no write planned from the stale read
    expect(outcomes.get('d6')).toBe('unchanged');
    expect(count(outcomes)).toEqual({ unchanged: DIAGRAMS });
    for (const c of changes) expect(await differences(c)).toEqual([]);
  }, 300_000);
});

async function rebuildTenant(): Promise<Map<string, ReconcileOutcome>> {
  const build = await beginBuild();
  await build.sink.applyBatch!(changes);
  return finish(build);
}

let reconciled = new Map<string, ReconcileOutcome>();

/** A tenant build; its switch (`finish`) tells what it did to each diagram. */
function beginBuild() {
  return beginNeo4jBuild({
    driver,
    version: VERSION,
    servingName,
    tenants: [tenant],
    sinkFor: () => {
      throw new Error('a tenant build writes no labels of its own');
    },
    onReconciled: (_, o) => (reconciled = o),
  });
}

async function finish(build: Awaited<ReturnType<typeof beginBuild>>): Promise<Map<string, ReconcileOutcome>> {
  reconciled = new Map();
  await build.freeze();
  await build.switchOver();
  return reconciled;
}

async function damage(_diagram: string, cypher: string): Promise<void> {
  await driver.executeQuery(cypher, { t: tenant });
}

async function differences(change: ProjectedChange): Promise<string[]> {
  const stored = await readGraphContent(driver, serving, tenant, change.event.diagramId);
  return diffGraphContent(diagramGraph(change.diagram), change.event.version, stored);
}

function count(outcomes: Map<string, ReconcileOutcome>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes.values()) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

async function taskCount(tenantId: string): Promise<number> {
  const { records } = await driver.executeQuery(
    `MATCH (n:${serving.element}:Task {tenant_id: $tenantId}) RETURN count(n) AS tasks`,
    { tenantId },
  );
  return Number(records[0]!.get('tasks'));
}

/** A process of `tasks` tasks in a chain (`task0` → `task1` …, flows `flow1` …), without DI. */
function chainXml(tasks: number): string {
  const elements: string[] = [];
  for (let i = 0; i < tasks; i++) {
    elements.push(`<bpmn:task id="task${i}" name="Task ${i}" />`);
    if (i > 0) elements.push(`<bpmn:sequenceFlow id="flow${i}" sourceRef="task${i - 1}" targetRef="task${i}" />`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="http://example.com">
  <bpmn:process id="process" isExecutable="false">${elements.join('')}</bpmn:process>
</bpmn:definitions>`;
}

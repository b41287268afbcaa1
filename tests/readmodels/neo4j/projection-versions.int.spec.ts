import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import neo4j, { type Driver } from 'neo4j-driver';
import { loadStackConfig } from '@flowledger/config';
import { SyntheticDiagram } from '../../../projectors/src/neo4j/bench/synthetic-changes.js';
import {
  createNeo4jGraphQueries,
  createNeo4jSink,
  ensureGraphSchema,
  graphLabels,
  SERVING_LABEL,
} from '../../../projectors/src/neo4j/index.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { TEST_PROJECTION_VERSION } from './support/neo4j-read-model.js';

// Item 5: a new projection version rebuilds under its own labels while the old one serves,
// then takes over; an older version activating later does not take it back.
const tenant = uniqueTenant('neo4j-versions');
const servingName = `test-${tenant}`; // our own serving record: the live projectors keep theirs
const { url, username, password } = loadStackConfig().neo4j;
// Two versions no projector runs, standing for "the serving one" and "the new one".
const OLD = TEST_PROJECTION_VERSION;
const NEW = TEST_PROJECTION_VERSION + 1;
let driver: Driver;

beforeAll(async () => {
  driver = neo4j.driver(url, neo4j.auth.basic(username, password));
  await ensureGraphSchema(driver, graphLabels(OLD));
  await ensureGraphSchema(driver, graphLabels(NEW));
});
afterAll(async () => {
  for (const v of [OLD, NEW]) await createNeo4jSink({ driver, labels: graphLabels(v) }).reset(tenant);
  await driver.executeQuery(`MATCH (p:${SERVING_LABEL} {name: $servingName}) DELETE p`, { servingName });
  await driver.close();
});

describe('Neo4j projection versions', () => {
  it('serve the old version while the new one rebuilds beside it, then the new one once activated', async () => {
    const v1 = createNeo4jSink({ driver, labels: graphLabels(OLD), servingName });
    const v2 = createNeo4jSink({ driver, labels: graphLabels(NEW), servingName });
    const queries = createNeo4jGraphQueries({ driver, fallbackVersion: OLD, servingName, servingCheckMs: 0 });
    const xml = readFileSync(new URL('fixtures/process.bpmn', import.meta.url), 'utf8');
    const [diagram, created] = await SyntheticDiagram.create(tenant, 'd', xml);
    await v1.apply(created);
    await v1.activate();

    // v2 rebuilds to a later state, where the Orphan is gone
    await v2.apply(created);
    await v2.apply(await diagram.change([{ kind: 'deleteElements', elementIds: ['Orphan'] }]));
    const beforeSwitch = await queries.findUnreachable({ tenantId: tenant, diagramId: 'd' });

    await v2.activate();
    const afterSwitch = await queries.findUnreachable({ tenantId: tenant, diagramId: 'd' });
    await v1.activate();
    const afterOldActivates = await queries.findUnreachable({ tenantId: tenant, diagramId: 'd' });

    expect(beforeSwitch).toMatchObject({ appliedVersion: 1, elements: [{ elementId: 'Orphan' }] });
    expect(afterSwitch).toEqual({ appliedVersion: 2, elements: [] });
    expect(afterOldActivates).toEqual({ appliedVersion: 2, elements: [] });
  });
});

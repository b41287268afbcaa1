import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { openNeo4jTestBed, type Neo4jTestBed } from './support/neo4j-read-model.js';
import { expectedGraph, storedGraph, wronglyContained } from './support/stored-graph.js';

// Every MIWG reference model, created through the command service, projected into Neo4j.
const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'miwg-reference');
const files = readdirSync(dir).filter((f) => f.endsWith('.bpmn'));
const tenant = uniqueTenant('neo4j-miwg');
const alice = clientFor(tenant, 'alice', ['editor']);
let bed: Neo4jTestBed;

beforeAll(async () => {
  bed = await openNeo4jTestBed();
});
afterAll(async () => {
  alice.close();
  await bed.sink.reset(tenant);
  await bed.close();
});

describe('Neo4j graph of every MIWG reference model', () => {
  it.each(files)('%s: nodes, types, flows and their ends equal the command side', async (file) => {
    const { diagramId, version } = await alice.createDiagram(file, readFileSync(join(dir, file), 'utf8'));

    for (const change of await bed.changesSince(tenant, diagramId, 1)) await bed.sink.apply(change);

    const { xml } = await alice.getDiagram(diagramId, version);
    const expected = await expectedGraph(xml);
    expect(expected.flowNodes.length).toBeGreaterThan(0);
    expect(await storedGraph(bed.driver, tenant, diagramId)).toEqual(expected);
    expect(await wronglyContained(bed.driver, tenant, diagramId)).toEqual([]);
    expect(await bed.sink.appliedVersion(tenant, diagramId)).toBe(version);
  });
});

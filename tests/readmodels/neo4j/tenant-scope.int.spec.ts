import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticDiagram } from '../../../projectors/src/neo4j/bench/synthetic-changes.js';
import { GraphQueryError } from '../../../projectors/src/neo4j/index.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { openNeo4jTestBed, type Neo4jTestBed } from './support/neo4j-read-model.js';

// Two tenants with the same diagram id and the same element ids, but different graphs: every
// graph question asked as tenant A answers from A's nodes only. (What Community edition cannot
// enforce — a hand-written Cypher through the service's credentials — is in projectors/README.md.)
const tenantA = uniqueTenant('neo4j-scope-a');
const tenantB = uniqueTenant('neo4j-scope-b');
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const diagramId = 'same-diagram-id';
const asA = { tenantId: tenantA, diagramId };
let bed: Neo4jTestBed;

beforeAll(async () => {
  bed = await openNeo4jTestBed();
  const [, a] = await SyntheticDiagram.create(tenantA, diagramId, fixture('process.bpmn'));
  const [b, bCreated] = await SyntheticDiagram.create(tenantB, diagramId, fixture('process-other-tenant.bpmn'));
  await bed.sink.apply(a);
  await bed.sink.apply(bCreated);
  // B is one version ahead, with a rename on top.
  await bed.sink.apply(
    await b.change([{ kind: 'updateProperties', elementId: 'Ship', properties: { name: 'B ship' } }]),
  );
});
afterAll(async () => {
  await bed.sink.reset(tenantA);
  await bed.sink.reset(tenantB);
  await bed.close();
});

describe('Neo4j graph queries are scoped to the caller’s tenant', () => {
  it('FindUnreachable as A reports A’s unreachable node and none of B’s', async () => {
    const answer = await bed.queries.findUnreachable(asA);

    expect(answer).toEqual({
      appliedVersion: 1,
      elements: [{ elementId: 'Orphan', type: 'bpmn:Task', name: 'Never reached' }],
    });
    expect(
      (await bed.queries.findUnreachable({ tenantId: tenantB, diagramId })).elements.map((e) => e.elementId),
    ).toEqual(['OnlyInB']);
  });

  it('FindPaths as A neither reaches B’s elements nor walks B’s flows', async () => {
    expect(await bed.queries.findPaths(asA, { fromId: 'Start', toId: 'OnlyInB', mode: 'all' })).toMatchObject({
      paths: [],
      missingIds: ['OnlyInB'],
    });
    // B has Start → Orphan; A does not.
    expect((await bed.queries.findPaths(asA, { fromId: 'Start', toId: 'Orphan', mode: 'shortest' })).paths).toEqual([]);
    const all = await bed.queries.findPaths(asA, { fromId: 'Start', toId: 'End', mode: 'all' });
    expect(all.paths.flatMap((p) => p.flowIds)).not.toContain('ToOrphan');
  });

  it('FindDanglingFlows as A lists A’s isolated node, which in B is connected', async () => {
    const answer = await bed.queries.findDanglingFlows(asA);

    expect(answer.appliedVersion).toBe(1);
    expect(answer.isolatedNodes.map((n) => n.elementId)).toEqual(['Orphan']);
    expect(
      (await bed.queries.findDanglingFlows({ tenantId: tenantB, diagramId })).isolatedNodes.map((n) => n.elementId),
    ).toEqual(['OnlyInB']);
  });

  it('refuses a question without a tenant instead of asking across tenants', async () => {
    await expect(bed.queries.findUnreachable({ tenantId: '', diagramId })).rejects.toBeInstanceOf(GraphQueryError);
  });
});

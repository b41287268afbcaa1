import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDiagram } from '@flowledger/bpmn-operations';
import type { ProjectedChange } from '@flowledger/projection';
import { flow, shape, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { createNeo4jSink } from '../../../projectors/src/neo4j/index.js';
import { openNeo4jTestBed, testLabels, type Neo4jTestBed } from './support/neo4j-read-model.js';
import { expectedGraph, storedGraph } from './support/stored-graph.js';

// The sink on its own (no runner in front of it): duplicates, older versions, a second writer
// and a cold process must all leave the graph equal to the command side.
const tenant = uniqueTenant('neo4j-redelivery');
const alice = clientFor(tenant, 'alice', ['editor']);
let bed: Neo4jTestBed;
let diagramId: string;
let changes: ProjectedChange[];

// Given a diagram with four versions, replayed from the ledger
beforeAll(async () => {
  bed = await openNeo4jTestBed();
  ({ diagramId } = await alice.createDiagram('Redelivery'));
  const v2 = await alice.propose(diagramId, 1, [
    shape('s', 'bpmn:StartEvent', 100),
    task('a', 300),
    flow('f', 's', 'a'),
  ]);
  if (v2.result !== 'applied') throw new Error(`setup: ${JSON.stringify(v2.rejected)}`);
  const a = v2.applied.idMap['a']!;
  const v3 = await alice.propose(diagramId, 2, [task('b', 500), flow('g', a, 'b')]);
  if (v3.result !== 'applied') throw new Error(`setup: ${JSON.stringify(v3.rejected)}`);
  const v4 = await alice.propose(diagramId, 3, [{ kind: 'deleteElements', elementIds: [a] }]);
  if (v4.result !== 'applied') throw new Error(`setup: ${JSON.stringify(v4.rejected)}`);
  // Each change gets its own diagram object: they are applied out of order below.
  changes = [];
  for (const c of await bed.changesSince(tenant, diagramId, 1))
    changes.push({ ...c, diagram: await parseDiagram(c.xml!) });
});
afterAll(async () => {
  alice.close();
  await bed.sink.reset(tenant);
  await bed.close();
});

async function expectGraphAt(version: number): Promise<void> {
  const { xml } = await alice.getDiagram(diagramId, version);
  expect(await storedGraph(bed.driver, tenant, diagramId)).toEqual(await expectedGraph(xml));
  expect(await bed.sink.appliedVersion(tenant, diagramId)).toBe(version);
}

describe('Neo4j sink under re-delivery', () => {
  it('applies an event twice as once (the second is skipped)', async () => {
    expect(await bed.sink.write([changes[0]!])).toEqual(new Map([[`${tenant}/${diagramId}`, 'replaced']]));
    expect(await bed.sink.write([changes[1]!])).toEqual(new Map([[`${tenant}/${diagramId}`, 'diff']]));

    expect(await bed.sink.write([changes[1]!])).toEqual(new Map([[`${tenant}/${diagramId}`, 'skipped']]));

    await expectGraphAt(2);
  });

  it('skips an older event arriving after a newer one, and leaves the graph at the newer version', async () => {
    await bed.sink.apply(changes[2]!);
    await bed.sink.apply(changes[3]!);

    await bed.sink.apply(changes[1]!);
    await bed.sink.apply(changes[2]!);

    await expectGraphAt(4);
  });

  it('writes a version after a gap as the difference from the stored version, so the graph is still exact', async () => {
    await bed.sink.reset(tenant);
    await bed.sink.apply(changes[0]!);

    // Each change carries the whole diagram, so v1 → v4 is one diff.
    expect(await bed.sink.write([changes[3]!])).toEqual(new Map([[`${tenant}/${diagramId}`, 'diff']]));

    await expectGraphAt(4);
  });

  it('notices another writer moved the version, and replans instead of diffing against a stale base', async () => {
    await bed.sink.reset(tenant);
    await bed.sink.apply(changes[0]!);
    await bed.sink.apply(changes[1]!);
    const other = createNeo4jSink({ driver: bed.driver, labels: testLabels });
    await other.apply(changes[2]!);

    // This sink last wrote v2; v3 is stored, so v3 is skipped and v4 must not be diffed from v2.
    expect(await bed.sink.write([changes[2]!])).toEqual(new Map([[`${tenant}/${diagramId}`, 'skipped']]));
    expect(await bed.sink.write([changes[3]!])).toEqual(new Map([[`${tenant}/${diagramId}`, 'replaced']]));

    await expectGraphAt(4);
  });

  it('writes a batch of one diagram’s versions as its last state', async () => {
    await bed.sink.reset(tenant);

    await bed.sink.applyBatch(changes);

    await expectGraphAt(4);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagramEvent } from '@flowledger/events';
import { createChangeProcessor } from '@flowledger/projection';
import { neo4jProjection } from '../../../projectors/src/neo4j/index.js';
import { flow, shape, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { openNeo4jTestBed, type Neo4jTestBed } from './support/neo4j-read-model.js';
import { expectedGraph, storedGraph } from './support/stored-graph.js';

// The Neo4j projection behind the projector runner's core (@flowledger/projection's change
// processor, as the Kafka consumer drives it): duplicates and older events are skipped, gaps
// are filled from the ledger, and the graph ends equal to the command side.
const tenant = uniqueTenant('neo4j-runner');
const alice = clientFor(tenant, 'alice', ['editor']);
let bed: Neo4jTestBed;
let diagramId: string;
let events: DiagramEvent[];

// Given a diagram with five versions
beforeAll(async () => {
  bed = await openNeo4jTestBed();
  ({ diagramId } = await alice.createDiagram('Runner'));
  const proposals = [
    [shape('s', 'bpmn:StartEvent', 100), task('a', 300), flow('f', 's', 'a')],
    [task('b', 500)],
    [shape('e', 'bpmn:EndEvent', 700)],
    [{ kind: 'replaceElement' as const, elementId: 'PLACEHOLDER', newType: 'bpmn:UserTask' }],
  ];
  let ids: Record<string, string> = {};
  for (const [i, operations] of proposals.entries()) {
    const ops = operations.map((o) => (o.kind === 'replaceElement' ? { ...o, elementId: ids['a']! } : o));
    const response = await alice.propose(diagramId, i + 1, ops);
    if (response.result !== 'applied') throw new Error(`setup: ${JSON.stringify(response.rejected)}`);
    ids = { ...ids, ...response.applied.idMap };
  }
  events = await bed.ledger.readEvents(tenant, diagramId, 1);
});
afterAll(async () => {
  alice.close();
  await bed.sink.reset(tenant);
  await bed.close();
});

describe('Neo4j projection behind the change processor', () => {
  it('skips re-delivered and older events, fills gaps from the ledger, and ends equal to the command side', async () => {
    const processor = createChangeProcessor({ projection: neo4jProjection(bed.sink, 1), ledger: bed.ledger });
    const deliver = (version: number) => processor.process(events[version - 1]!);

    expect(await deliver(1)).toEqual({ result: 'applied', appliedVersions: [1] });
    expect(await deliver(3)).toEqual({ result: 'applied', appliedVersions: [2, 3] });
    expect(await deliver(3)).toEqual({ result: 'duplicate', appliedVersions: [] });
    expect(await deliver(2)).toEqual({ result: 'duplicate', appliedVersions: [] });
    expect(await deliver(5)).toEqual({ result: 'applied', appliedVersions: [4, 5] });

    const { xml } = await alice.getDiagram(diagramId, 5);
    expect(await storedGraph(bed.driver, tenant, diagramId)).toEqual(await expectedGraph(xml));
    expect(await bed.sink.appliedVersion(tenant, diagramId)).toBe(5);
  });
});

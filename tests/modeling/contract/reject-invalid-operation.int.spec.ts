import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { watchAppends } from '../../support/append-watch.js';
import { flow, shape, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('invalid-op');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
let ids: Record<string, string>;

// Given a diagram with a start event and a task
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Invalid'));
  const response = await alice.propose(diagramId, 1, [shape('start', 'bpmn:StartEvent', 100), task('t', 300)]);
  if (response.result !== 'applied') throw new Error(`setup: ${JSON.stringify(response.rejected)}`);
  ids = response.applied.idMap;
});
afterAll(() => alice.close());

const cases: Array<[string, () => Operation[]]> = [
  ['a sequence flow into a start event', () => [flow('f', ids['t']!, ids['start']!)]],
  ['a connection type as a shape', () => [shape('x', 'bpmn:SequenceFlow', 500)]],
  ['a type that is not a concrete bpmn: type', () => [shape('x', 'bpmn:FlowNode', 500)]],
  ['a shape with zero width', () => [{ ...task('x', 500), bounds: { x: 0, y: 0, width: 0, height: 80 } } as Operation]],
  ['an id as a property', () => [{ kind: 'updateProperties', elementId: ids['t']!, properties: { id: 'Other' } }]],
  [
    'a property value of the wrong type',
    () => [{ kind: 'updateProperties', elementId: ids['t']!, properties: { startQuantity: 'many' } }],
  ],
  ['a temporary id already used in the diagram', () => [task(ids['t']!, 500)]],
];

describe('Rejected INVALID_OPERATION', () => {
  it.each(cases)('for %s, and nothing is appended', async (_case, operations) => {
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await alice.propose(diagramId, 2, operations());

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_INVALID_OPERATION' } });
    await watch.expectNothingAppended();
  });
});

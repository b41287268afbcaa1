import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { watchAppends } from '../../support/append-watch.js';
import { flow, rename, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('unknown-ids');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
let taskId: string;
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Ids'));
  const response = await alice.propose(diagramId, 1, [task('t', 100)]);
  if (response.result !== 'applied') throw new Error(`setup: ${JSON.stringify(response.rejected)}`);
  taskId = response.applied.idMap['t']!;
});
afterAll(() => alice.close());

const cases: Array<[string, () => Operation]> = [
  ['updateProperties', () => rename('Nope_1', 'x')],
  ['a connection to an unknown target', () => flow('f', taskId, 'Nope_1')],
  ['a shape in an unknown parent', () => ({ ...task('x', 300), parentId: 'Nope_1' }) as Operation],
  ['moveElements', () => ({ kind: 'moveElements', elementIds: ['Nope_1'], delta: { x: 1, y: 1 }, newParentId: '' })],
  ['resizeShape', () => ({ kind: 'resizeShape', elementId: 'Nope_1', bounds: { x: 0, y: 0, width: 10, height: 10 } })],
  ['deleteElements', () => ({ kind: 'deleteElements', elementIds: [taskId, 'Nope_1'] })],
  ['replaceElement', () => ({ kind: 'replaceElement', elementId: 'Nope_1', newType: 'bpmn:UserTask' })],
];

describe('unknown element ids', () => {
  it.each(cases)('in %s are Rejected INVALID_OPERATION naming the id, and nothing is appended', async (_case, op) => {
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await alice.propose(diagramId, 2, [op()]);

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_INVALID_OPERATION' } });
    if (response.result !== 'rejected') return;
    expect(response.rejected.message).toContain('Nope_1');
    await watch.expectNothingAppended();
  });
});

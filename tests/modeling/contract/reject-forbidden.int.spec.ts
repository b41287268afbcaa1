import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchAppends } from '../../support/append-watch.js';
import { grpc } from '../../support/modeling-client.js';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// REVIEW_REQUIRED, the answer of the per-tenant agent review policy (DESIGN.md §8), has its own
// file: reject-review-required.int.spec.ts.
const tenant = uniqueTenant('forbidden');
const alice = clientFor(tenant, 'alice', ['editor']);
const victor = clientFor(tenant, 'victor', ['viewer']);
let diagramId: string;
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Read only for victor'));
});
afterAll(() => [alice, victor].forEach((c) => c.close()));

describe('a viewer', () => {
  it('may read the diagram and its versions', async () => {
    expect((await victor.getDiagram(diagramId)).version).toBe(1);
    expect((await victor.listVersions(diagramId)).versions).toHaveLength(1);
  });

  it('may not propose: Rejected FORBIDDEN, and nothing is appended', async () => {
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await victor.propose(diagramId, 1, [task('t', 100)]);

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_FORBIDDEN' } });
    await watch.expectNothingAppended();
  });

  it('may not create a diagram: PERMISSION_DENIED, and nothing is appended', async () => {
    const watch = await watchAppends(alice, tenant);

    await expect(victor.createDiagram('Not allowed')).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    await watch.expectNothingAppended();
  });
});

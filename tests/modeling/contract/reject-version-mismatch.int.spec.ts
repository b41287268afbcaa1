import { afterAll, describe, expect, it } from 'vitest';
import { watchAppends } from '../../support/append-watch.js';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('mismatch');
const alice = clientFor(tenant, 'alice', ['editor']);
afterAll(() => alice.close());

describe('Rejected VERSION_MISMATCH', () => {
  it.each([
    ['a stale base version', 1],
    ['a future base version', 7],
  ])('for %s, carrying the current version, and nothing is appended', async (_case, baseVersion) => {
    // Given a diagram at version 2
    const { diagramId } = await alice.createDiagram('Mismatch');
    await alice.propose(diagramId, 1, [task('a', 100)]);
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await alice.propose(diagramId, baseVersion, [task('b', 300)]);

    expect(response).toMatchObject({
      result: 'rejected',
      rejected: { code: 'REJECT_CODE_VERSION_MISMATCH', currentVersion: 2 },
    });
    await watch.expectNothingAppended();
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { watchAppends } from '../../support/append-watch.js';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// The "nothing appended" checks of the reject tests are only worth something if they fail
// when something was appended: this proves they do.
const tenant = uniqueTenant('watch');
const alice = clientFor(tenant, 'alice', ['editor']);
afterAll(() => alice.close());

describe('watchAppends', () => {
  it('notices an applied proposal: versions, latest diagram and topic records all move', async () => {
    const { diagramId } = await alice.createDiagram('Watched');
    const watch = await watchAppends(alice, tenant, diagramId);

    await alice.propose(diagramId, 1, [task('t', 100)]);

    await expect(watch.expectNothingAppended()).rejects.toThrow();
    const { topicRecords, versions } = watch.before as { topicRecords: bigint; versions: number[] };
    expect(versions).toEqual([1]);
    expect(topicRecords).toBe(1n);
  });
});

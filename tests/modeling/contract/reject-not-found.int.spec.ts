import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchAppends } from '../../support/append-watch.js';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('not-found');
const otherTenant = uniqueTenant('not-found-other');
const alice = clientFor(tenant, 'alice', ['editor']);
const eve = clientFor(otherTenant, 'eve', ['editor', 'admin']);
let alicesDiagram: string;
beforeAll(async () => {
  ({ diagramId: alicesDiagram } = await alice.createDiagram('Alice only'));
});
afterAll(() => [alice, eve].forEach((c) => c.close()));

describe('Rejected NOT_FOUND', () => {
  it('for a diagram that does not exist, and nothing is appended', async () => {
    const watch = await watchAppends(alice, tenant);

    const response = await alice.propose(randomUUID(), 1, [task('t', 100)]);

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_NOT_FOUND' } });
    await watch.expectNothingAppended();
  });

  it("for another tenant's diagram, exactly as if it did not exist, and nothing is appended anywhere", async () => {
    const alicesSide = await watchAppends(alice, tenant, alicesDiagram);
    const evesSide = await watchAppends(eve, otherTenant);

    const response = await eve.propose(alicesDiagram, 1, [task('t', 100)]);

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_NOT_FOUND' } });
    await alicesSide.expectNothingAppended();
    await evesSide.expectNothingAppended();
  });
});

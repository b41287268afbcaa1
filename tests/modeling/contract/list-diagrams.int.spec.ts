import { afterAll, describe, expect, it } from 'vitest';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('list');
const alice = clientFor(tenant, 'alice', ['editor']);
const bob = clientFor(tenant, 'bob', ['viewer']);
const outsider = clientFor(uniqueTenant('list-other'), 'eve', ['editor']);
afterAll(() => [alice, bob, outsider].forEach((c) => c.close()));

describe('ListDiagrams', () => {
  it("lists every diagram of the caller's tenant with its name and current version, and nothing of other tenants", async () => {
    const first = await alice.createDiagram('Order to cash');
    const second = await alice.createDiagram('Hire to retire');
    await alice.propose(second.diagramId, 1, [task('t', 100)]);
    await outsider.createDiagram('Not yours');

    const { diagrams } = await bob.listDiagrams();

    const byId = Object.fromEntries(diagrams.map((d) => [d.diagramId, d]));
    expect(Object.keys(byId).sort()).toEqual([first.diagramId, second.diagramId].sort());
    expect(byId[first.diagramId]).toMatchObject({ name: 'Order to cash', version: 1 });
    expect(byId[second.diagramId]).toMatchObject({ name: 'Hire to retire', version: 2 });
    for (const d of diagrams) expect(d.updatedAt.seconds).toBeGreaterThan(0);
  });
});

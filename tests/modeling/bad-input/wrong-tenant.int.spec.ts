import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpc } from '../../support/modeling-client.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// Another tenant's diagram must be indistinguishable from one that does not exist, for every
// read, whatever the reader's roles in its own tenant.
const ownTenant = uniqueTenant('owner');
const alice = clientFor(ownTenant, 'alice', ['editor']);
const eve = clientFor(uniqueTenant('intruder'), 'eve', ['admin', 'editor', 'viewer']);
let diagramId: string;
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Private'));
});
afterAll(() => [alice, eve].forEach((c) => c.close()));

describe("another tenant's diagram", () => {
  it('is NOT_FOUND for GetDiagram, at latest and at a past version', async () => {
    await expect(eve.getDiagram(diagramId)).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(eve.getDiagram(diagramId, 1)).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it('is NOT_FOUND for ListVersions', async () => {
    await expect(eve.listVersions(diagramId)).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it('is NOT_FOUND for Subscribe', async () => {
    const error = await new Promise<grpc.ServiceError>((resolve, reject) => {
      const cancel = eve.subscribe(
        diagramId,
        0,
        (change) => reject(new Error(`got ${JSON.stringify(change)}`)),
        resolve,
      );
      setTimeout(() => {
        cancel();
        reject(new Error('Subscribe neither failed nor delivered within 10 s'));
      }, 10_000);
    });
    expect(error.code).toBe(grpc.status.NOT_FOUND);
  });

  it('is not listed by ListDiagrams', async () => {
    expect((await eve.listDiagrams()).diagrams.map((d) => d.diagramId)).not.toContain(diagramId);
  });
});

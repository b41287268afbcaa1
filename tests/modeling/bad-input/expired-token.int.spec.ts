import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { watchAppends } from '../../support/append-watch.js';
import { devToken, grpc, ModelingClient } from '../../support/modeling-client.js';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// A token that expires while in use: minted by the CLI with a one-second lifetime, used once
// while valid, then again after the verifier's 5 s leeway. (Envoy's own leeway is 60 s, so at
// the edge it still passes: the command service is the one that must refuse it.)
const tenant = uniqueTenant('expiry');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Expiry'));
});
afterAll(() => alice.close());

describe('a token that has expired', () => {
  it('is UNAUTHENTICATED through Envoy and straight at the service, and nothing is appended', async () => {
    const shortLived = devToken(tenant, 'alice', ['editor'], 1);
    const edge = new ModelingClient(shortLived);
    const direct = new ModelingClient(shortLived, { address: loadStackConfig().grpc.address });
    try {
      expect((await direct.getDiagram(diagramId)).version).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      const watch = await watchAppends(alice, tenant, diagramId);

      for (const client of [edge, direct]) {
        await expect(client.propose(diagramId, 1, [task('t', 100)])).rejects.toMatchObject({
          code: grpc.status.UNAUTHENTICATED,
        });
        await expect(client.getDiagram(diagramId)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
      }
      await watch.expectNothingAppended();
    } finally {
      edge.close();
      direct.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { watchAppends } from '../../support/append-watch.js';
import { expiredToken, foreignKeyToken } from '../../support/forged-tokens.js';
import { devToken, grpc, ModelingClient } from '../../support/modeling-client.js';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// Every bad credential, both through Envoy (whose jwt_authn filter refuses it at the edge) and
// straight at the command service (which verifies again, so a caller inside the network
// gets no further). Each is UNAUTHENTICATED, and the proposal it carried appends nothing.
const tenant = uniqueTenant('authn');
const who = { tenant, actor: 'alice', roles: ['editor'] };
const alice = clientFor(tenant, 'alice', ['editor']);
const routes = { edge: undefined, direct: loadStackConfig().grpc.address };
const ENVOY_JWT_REFUSAL = /^(Jwt|Jwks) /;
let diagramId: string;
let credentials: Record<string, { token: string | undefined; headers?: Record<string, string> }>;

beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Guarded'));
  const valid = devToken(tenant, 'alice', ['editor']);
  credentials = {
    'no token': { token: undefined },
    'a token that is not a JWT': { token: 'not-a-jwt' },
    'an expired token': { token: await expiredToken(who) },
    'a token signed by an unknown key': { token: await foreignKeyToken(who) },
    "a token signed by a foreign key under the issuer's kid": {
      token: await foreignKeyToken(who, { claimDevKid: true }),
    },
    'an x-tenant-id header that disagrees with the token': { token: valid, headers: { 'x-tenant-id': 'acme' } },
    'an x-actor-id header that disagrees with the token': { token: valid, headers: { 'x-actor-id': 'mallory' } },
  };
});
afterAll(() => alice.close());

const cases = [
  'no token',
  'a token that is not a JWT',
  'an expired token',
  'a token signed by an unknown key',
  "a token signed by a foreign key under the issuer's kid",
  'an x-tenant-id header that disagrees with the token',
  'an x-actor-id header that disagrees with the token',
];

describe.each(Object.entries(routes))('through %s', (route, address) => {
  it.each(cases)('%s is UNAUTHENTICATED, and nothing is appended', async (credential) => {
    const { token, headers } = credentials[credential]!;
    const caller = new ModelingClient(token, { address, headers });
    const watch = await watchAppends(alice, tenant, diagramId);
    try {
      const refusal = await caller.propose(diagramId, 1, [task('t', 100)]).then(
        (response) => ({ code: grpc.status.OK, details: JSON.stringify(response) }),
        (error: grpc.ServiceError) => error,
      );

      expect(refusal.code).toBe(grpc.status.UNAUTHENTICATED);
      // Envoy's own wording ("Jwt is missing", "Jwks doesn't have key…") shows the edge refused it;
      // headers are the service's to compare with the token, wherever the call comes from.
      if (route === 'edge' && !headers) expect(refusal.details).toMatch(ENVOY_JWT_REFUSAL);
      else expect(refusal.details).not.toMatch(ENVOY_JWT_REFUSAL);
      await expect(caller.listDiagrams()).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
      await watch.expectNothingAppended();
    } finally {
      caller.close();
    }
  });
});

describe('headers that agree with the token', () => {
  it.each(Object.entries(routes))('are accepted through %s', async (_route, address) => {
    const caller = new ModelingClient(devToken(tenant, 'alice', ['editor']), {
      address,
      headers: { 'x-tenant-id': tenant, 'x-actor-id': 'alice' },
    });
    try {
      expect((await caller.getDiagram(diagramId)).version).toBe(1);
    } finally {
      caller.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { accountClaims, devAccount } from './dev-accounts.js';

describe('dev sign-in accounts', () => {
  it.each([
    ['alice', 'demo', 'alice'],
    ['alice@acme', 'acme', 'alice'],
    [' Bob@Acme ', 'acme', 'bob'],
  ])('reads %j as actor and tenant', (login, tenantId, actorId) => {
    const account = devAccount(login);
    expect(account).toMatchObject({ accountId: login, tenantId, actorId });
    expect(accountClaims(account!)).toEqual({
      tenant_id: tenantId,
      actor_id: actorId,
      roles: ['viewer', 'editor', 'reviewer', 'admin'],
    });
  });

  it.each(['', 'a@b@c', 'alice smith', 'alice@', '@acme'])('has no account for %j', (login) => {
    expect(devAccount(login)).toBeUndefined();
  });
});

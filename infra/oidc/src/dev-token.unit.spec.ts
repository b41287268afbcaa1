import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken, type DevTokenRequest } from './dev-token.js';
import { currentSigningKey, generateSigningKeySet, publicJwks, type PrivateJwkSet } from './signing-keys.js';
import { TokenError } from './token-errors.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const fixedId = () => 'jti-1';
const request: DevTokenRequest = {
  tenant: 'acme',
  actor: 'alice',
  roles: ['editor', 'viewer'],
  issuer: 'http://localhost:8090',
};

let keys: PrivateJwkSet;
beforeAll(async () => {
  keys = await generateSigningKeySet();
});

describe('mintDevToken', () => {
  it('carries the flowledger claims, dated by the injected clock', async () => {
    const jwt = await mintDevToken(request, currentSigningKey(keys), NOW, fixedId);

    expect(decodeJwt(jwt)).toEqual({
      iss: 'http://localhost:8090',
      aud: 'flowledger',
      sub: 'alice',
      tenant_id: 'acme',
      actor_id: 'alice',
      roles: ['editor', 'viewer'],
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + 900,
      jti: 'jti-1',
    });
  });

  it('names the signing key by the kid the JWKS publishes, and verifies against that JWKS', async () => {
    const jwt = await mintDevToken(request, currentSigningKey(keys), NOW, fixedId);

    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', kid: currentSigningKey(keys).kid, typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(publicJwks(keys)), {
      issuer: 'http://localhost:8090',
      audience: 'flowledger',
      currentDate: NOW,
    });
    expect(payload.tenant_id).toBe('acme');
  });

  it('expires after the given ttl, and a verifier past that time refuses it', async () => {
    const jwt = await mintDevToken(
      { ...request, ttlSeconds: 60, audience: 'other' },
      currentSigningKey(keys),
      NOW,
      fixedId,
    );

    expect(decodeJwt(jwt)).toMatchObject({ aud: 'other', exp: NOW_SECONDS + 60 });
    const later = new Date(NOW.getTime() + 61_000);
    await expect(jwtVerify(jwt, createLocalJWKSet(publicJwks(keys)), { currentDate: later })).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    });
  });

  it('gives each token a fresh id unless one is injected', async () => {
    const first = decodeJwt(await mintDevToken(request, currentSigningKey(keys), NOW));
    const second = decodeJwt(await mintDevToken(request, currentSigningKey(keys), NOW));
    expect(first.jti).not.toBe(second.jti);
  });

  it('drops repeated roles', async () => {
    const jwt = await mintDevToken({ ...request, roles: ['agent', 'agent'] }, currentSigningKey(keys), NOW, fixedId);
    expect(decodeJwt(jwt).roles).toEqual(['agent']);
  });

  it.each([
    ['an uppercase tenant', { tenant: 'Acme' }, /tenant must be/],
    ['an empty tenant', { tenant: '' }, /tenant must be/],
    ['a tenant starting with "-"', { tenant: '-acme' }, /tenant must be/],
    ['a 64-character tenant', { tenant: 'a'.repeat(64) }, /tenant must be/],
    ['an actor with a dot', { actor: 'alice.smith' }, /actor must be/],
    ['no roles', { roles: [] }, /roles must name at least one/],
    ['an unknown role', { roles: ['editor', 'owner'] }, /unknown role\(s\) "owner"/],
    ['a zero ttl', { ttlSeconds: 0 }, /ttl must be/],
    ['a fractional ttl', { ttlSeconds: 1.5 }, /ttl must be/],
    ['a ttl over a day', { ttlSeconds: 86_401 }, /ttl must be/],
    ['an issuer that is no URL', { issuer: 'localhost' }, /issuer must be a URL/],
  ])('refuses %s with INVALID_ARGUMENT', async (_case, change, message) => {
    const attempt = mintDevToken({ ...request, ...change }, currentSigningKey(keys), NOW, fixedId);
    await expect(attempt).rejects.toBeInstanceOf(TokenError);
    await expect(attempt).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      retriable: false,
      message: expect.stringMatching(message),
    });
  });

  it('accepts the longest allowed ids', async () => {
    const id = `a${'-'.repeat(61)}z`;
    const jwt = await mintDevToken({ ...request, tenant: id, actor: '0_x' }, currentSigningKey(keys), NOW, fixedId);
    expect(decodeJwt(jwt)).toMatchObject({ tenant_id: id, actor_id: '0_x' });
  });
});

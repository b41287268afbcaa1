// Against the running embedded issuer (`npx flowledger stack up`, or infra/oidc/src/main.ts by hand).
import { createHash, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackConfig } from '@flowledger/config';
import {
  currentSigningKey,
  generateSigningKeySet,
  loadOrCreateSigningKeys,
  mintDevToken,
  verifyToken,
  type PrivateJwkSet,
} from '@flowledger/oidc';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { oidc } from '../../cli/src/stack/components/oidc.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const varDir = join(root, 'var');
const config = loadStackConfig();
const issuer = config.oidc.issuer;
const alice = { tenant: 'acme', actor: 'alice', roles: ['editor'], issuer };

let keys: PrivateJwkSet;
let jwksUri: string;
beforeAll(async () => {
  keys = await loadOrCreateSigningKeys(varDir);
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  expect(response.status).toBe(200);
  const discovery = (await response.json()) as { issuer: string; jwks_uri: string };
  expect(discovery.issuer).toBe(issuer);
  jwksUri = discovery.jwks_uri;
});

describe('embedded OIDC issuer', () => {
  it('is healthy by the stack component, and publishes the key `flowledger token` signs with', async () => {
    expect(await oidc.healthy({ config, root, varDir, run: async () => {}, progress: () => {} })).toBe(true);

    const jwks = (await (await fetch(jwksUri)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((key) => key.kid)).toContain(currentSigningKey(keys).kid);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('verifies a minted token through its JWKS endpoint', async () => {
    const jwt = await mintDevToken(alice, currentSigningKey(keys), new Date());

    const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(jwksUri)), { issuer, audience: 'flowledger' });
    expect(payload).toMatchObject({ sub: 'alice', tenant_id: 'acme', roles: ['editor'] });
    await expect(verifyToken(jwt, { issuer })).resolves.toMatchObject({
      tenantId: 'acme',
      actorId: 'alice',
      roles: ['editor'],
    });
  });

  it('refuses a token signed with another key, whether its kid is unknown or copied from the issuer', async () => {
    const stranger = currentSigningKey(await generateSigningKeySet());
    const unknownKid = await mintDevToken(alice, stranger, new Date());
    const copiedKid = await mintDevToken(alice, { ...stranger, kid: currentSigningKey(keys).kid }, new Date());

    await expect(verifyToken(unknownKid, { issuer })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/ERR_JWKS_NO_MATCHING_KEY/),
    });
    await expect(verifyToken(copiedKid, { issuer })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/),
    });
  });

  it('refuses an expired token, and one for another audience', async () => {
    const anHourAgo = new Date(Date.now() - 3_600_000);
    const expired = await mintDevToken({ ...alice, ttlSeconds: 60 }, currentSigningKey(keys), anHourAgo);
    const elsewhere = await mintDevToken({ ...alice, audience: 'another-api' }, currentSigningKey(keys), new Date());

    await expect(verifyToken(expired, { issuer })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/ERR_JWT_EXPIRED/),
    });
    await expect(verifyToken(elsewhere, { issuer })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/ERR_JWT_CLAIM_VALIDATION_FAILED/),
    });
  });

  it('signs the web app in (dev sign-in, code + PKCE) with a JWT access token carrying the same claims', async () => {
    const accessToken = await signInThroughDevPages('bob@globex');

    expect(decodeProtectedHeader(accessToken)).toMatchObject({ kid: currentSigningKey(keys).kid });
    await expect(verifyToken(accessToken, { issuer })).resolves.toMatchObject({
      tenantId: 'globex',
      actorId: 'bob',
      roles: ['viewer', 'editor', 'reviewer', 'admin'],
    });
  });
});

/** Walks the provider's built-in dev login and consent pages as a browser would, then redeems the code. */
async function signInThroughDevPages(login: string): Promise<string> {
  const redirectUri = `${config.edge.url}/auth/callback`;
  const verifier = randomBytes(32).toString('base64url');
  const cookies = new Map<string, string>();
  const request = async (url: string, form?: Record<string, string>) => {
    const response = await fetch(new URL(url, issuer), {
      redirect: 'manual',
      method: form ? 'POST' : 'GET',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      body: form ? new URLSearchParams(form) : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return response;
  };
  const authorize = new URL('/auth', issuer);
  authorize.search = new URLSearchParams({
    client_id: 'flowledger-web',
    response_type: 'code',
    scope: 'openid flowledger',
    redirect_uri: redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'state-1',
  }).toString();

  let response = await request(authorize.href);
  for (let step = 0; step < 10; step += 1) {
    const location = new URL(response.headers.get('location') ?? '', issuer);
    if (location.href.startsWith(redirectUri)) {
      const code = location.searchParams.get('code') ?? '';
      const tokens = await fetch(new URL('/token', issuer), {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: 'flowledger-web',
          code_verifier: verifier,
        }),
      });
      expect(tokens.status).toBe(200);
      return ((await tokens.json()) as { access_token: string }).access_token;
    }
    response = await request(location.href);
    if (response.status === 200) {
      const page = await response.text();
      const form: Record<string, string> = page.includes('name="login"')
        ? { prompt: 'login', login, password: 'dev' }
        : { prompt: 'consent' };
      response = await request(location.href, form);
    }
  }
  throw new Error('dev sign-in did not reach the redirect URI');
}

import { describe, expect, it } from 'vitest';
import { currentSigningKey, generateSigningKeySet, parsePrivateJwkSet, publicJwks } from './signing-keys.js';

describe('signing keys', () => {
  it('generates one RS256 key whose kid is its thumbprint, and publishes it without private members', async () => {
    const set = await generateSigningKeySet();
    const key = currentSigningKey(set);
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.stringMatching(/^[\w-]{43}$/) });

    const [published] = publicJwks(set).keys;
    expect(published).toEqual({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: key.kid, n: key.n, e: key.e });
  });

  it('reads back what it generated, and refuses a key set it could not sign with', async () => {
    const set = await generateSigningKeySet();
    expect(parsePrivateJwkSet(JSON.parse(JSON.stringify(set)))).toEqual(set);

    expect(() => parsePrivateJwkSet({ keys: [] })).toThrow(/at least one key/);
    expect(() => parsePrivateJwkSet(publicJwks(set))).toThrow(/no private part/);
    expect(() => parsePrivateJwkSet({ keys: [{ kty: 'RSA', d: 'x' }] })).toThrow(/"kid" and "alg"/);
  });
});

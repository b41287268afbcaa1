import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The one algorithm the embedded issuer signs with; RS256 is what every OIDC client and Envoy accept by default. */
export const SIGNING_ALG = 'RS256';

/** A private JWK as stored on disk: always carries its `kid`, `alg` and `use`. */
export interface PrivateSigningJwk extends JWK {
  kid: string;
  alg: string;
  use: 'sig';
}

export interface PrivateJwkSet {
  keys: PrivateSigningJwk[];
}

/** Generates a fresh signing key set of one key whose `kid` is its RFC 7638 thumbprint. */
export async function generateSigningKeySet(): Promise<PrivateJwkSet> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { keys: [{ ...jwk, kid, alg: SIGNING_ALG, use: 'sig' }] };
}

/** The key new tokens are signed with: the first one, so a rotation prepends the new key and keeps the old for verification. */
export function currentSigningKey(set: PrivateJwkSet): PrivateSigningJwk {
  const key = set.keys[0];
  if (!key) throw new Error('the signing key set is empty');
  return key;
}

/** The same key set without private members, as published on the issuer's JWKS endpoint. */
export function publicJwks(set: PrivateJwkSet): { keys: JWK[] } {
  return { keys: set.keys.map(toPublicJwk) };
}

/** Checks parsed file content is a usable private key set; throws naming what is wrong. */
export function parsePrivateJwkSet(value: unknown): PrivateJwkSet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('expected {"keys": [...]} with at least one key');
  for (const key of keys as JWK[]) {
    if (typeof key.kid !== 'string' || typeof key.alg !== 'string') throw new Error('every key needs "kid" and "alg"');
    if (typeof key.d !== 'string') throw new Error(`key ${key.kid} has no private part ("d")`);
  }
  return value as PrivateJwkSet;
}

// Private members of RSA and EC keys (RFC 7518 §6.2.2, §6.3.2).
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

function toPublicJwk(jwk: PrivateSigningJwk): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy as JWK;
}

import { join } from 'node:path';
import { loadStackConfig } from '@flowledger/config';
import { currentSigningKey, generateSigningKeySet, loadOrCreateSigningKeys, mintDevToken } from '@flowledger/oidc';

/** Tokens a real issuer would never hand out, for the authentication tests. */
interface Identity {
  tenant: string;
  actor: string;
  roles: string[];
}

const varDir = join(import.meta.dirname, '..', '..', 'var');
const issuer = () => loadStackConfig().oidc.issuer;

/** Signed with the dev issuer's own key, but expired `secondsAgo` ago (well past any clock leeway). */
export async function expiredToken(who: Identity, secondsAgo = 600): Promise<string> {
  const key = currentSigningKey(await loadOrCreateSigningKeys(varDir));
  const ttlSeconds = 60;
  const issuedAt = new Date(Date.now() - (secondsAgo + ttlSeconds) * 1000);
  return mintDevToken({ ...who, ttlSeconds, issuer: issuer() }, key, issuedAt);
}

/**
 * Well-formed, with the right issuer and claims, but signed by a key nobody published. With
 * `claimDevKid` it also names the dev key's `kid`, so only the signature check can catch it.
 */
export async function foreignKeyToken(who: Identity, { claimDevKid = false } = {}): Promise<string> {
  const foreign = currentSigningKey(await generateSigningKeySet());
  const kid = claimDevKid ? currentSigningKey(await loadOrCreateSigningKeys(varDir)).kid : foreign.kid;
  return mintDevToken({ ...who, issuer: issuer() }, { ...foreign, kid }, new Date());
}

import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { PrivateSigningJwk } from './signing-keys.js';
import { checkIdentifier, checkRoles } from './token-claims.js';
import { TokenError } from './token-errors.js';

export interface DevTokenRequest {
  tenant: string;
  actor: string;
  /** Any of viewer, editor, reviewer, admin, agent. */
  roles: string[];
  /** Short-lived by default (DESIGN §9): 15 minutes. */
  ttlSeconds?: number;
  issuer: string;
  audience?: string;
}

/** Tokens longer-lived than a day are not "short-lived" any more, even for development. */
const MAX_TTL_SECONDS = 86_400;

/**
 * Mints a dev access token signed with the embedded issuer's key: a compact JWS whose `kid`
 * names a key on the issuer's JWKS endpoint, so anything that verifies through that endpoint
 * (Envoy, the command service) accepts it. The clock and the id source are inputs.
 */
export async function mintDevToken(
  request: DevTokenRequest,
  privateJwk: PrivateSigningJwk,
  now: Date,
  newId: () => string = randomUUID,
): Promise<string> {
  const tenant = checkIdentifier('tenant', request.tenant);
  const actor = checkIdentifier('actor', request.actor);
  const roles = checkRoles(request.roles);
  const ttlSeconds = request.ttlSeconds ?? 900;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new TokenError(
      'INVALID_ARGUMENT',
      `ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (got ${request.ttlSeconds})`,
    );
  }
  const issuer = checkUrl('issuer', request.issuer);
  const audience = request.audience ?? 'flowledger';
  if (audience.length === 0) throw new TokenError('INVALID_ARGUMENT', 'audience must not be empty');

  const issuedAt = Math.floor(now.getTime() / 1000);
  const key = await importJWK(privateJwk, privateJwk.alg);
  return new SignJWT({ tenant_id: tenant, actor_id: actor, roles })
    .setProtectedHeader({ alg: privateJwk.alg, kid: privateJwk.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(actor)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .setJti(newId())
    .sign(key);
}

function checkUrl(field: string, value: string): string {
  if (!URL.canParse(value))
    throw new TokenError('INVALID_ARGUMENT', `${field} must be a URL (got ${JSON.stringify(value)})`);
  return value;
}

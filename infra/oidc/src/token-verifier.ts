import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { identityFromClaims, type FlowledgerIdentity } from './token-claims.js';
import { TokenError } from './token-errors.js';

export interface VerifyOptions {
  issuer: string;
  audience?: string;
  /** Where the issuer publishes its keys; found through OIDC discovery when absent, so any IdP works. */
  jwksUrl?: string;
  /** The verifier's clock; the real time when absent. */
  now?: Date;
}

export interface VerifiedToken extends FlowledgerIdentity {
  expiresAt: Date;
  payload: JWTPayload;
}

/**
 * Verifies a bearer token against the issuer's JWKS endpoint (keys fetched once and cached,
 * refetched when an unknown `kid` appears), then checks issuer, audience, expiry and the
 * flowledger claims. Throws TokenError: UNAUTHENTICATED for a bad token, ISSUER_UNAVAILABLE
 * (retriable) when the keys cannot be fetched.
 */
export async function verifyToken(jwt: string, options: VerifyOptions): Promise<VerifiedToken> {
  const keys = await remoteKeySet(options);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, keys, {
      issuer: options.issuer,
      audience: options.audience ?? 'flowledger',
      algorithms: ACCEPTED_ALGORITHMS,
      currentDate: options.now,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw classify(error);
  }
  return { ...identityFromClaims(payload), expiresAt: new Date((payload.exp ?? 0) * 1000), payload };
}

const ACCEPTED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 5;

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;
// Per JWKS URL, so each issuer's keys are fetched once per process, not once per request.
const keySets = new Map<string, RemoteKeySet>();
const discoveredJwksUrls = new Map<string, Promise<string>>();

async function remoteKeySet(options: VerifyOptions): Promise<RemoteKeySet> {
  const url = options.jwksUrl ?? (await discoverJwksUrl(options.issuer));
  let keySet = keySets.get(url);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000 });
    keySets.set(url, keySet);
  }
  return keySet;
}

function discoverJwksUrl(issuer: string): Promise<string> {
  let pending = discoveredJwksUrls.get(issuer);
  if (!pending) {
    pending = fetchJwksUrl(issuer);
    discoveredJwksUrls.set(issuer, pending);
    pending.catch(() => discoveredJwksUrls.delete(issuer)); // a failed lookup is retried next time
  }
  return pending;
}

async function fetchJwksUrl(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const document = (await response.json()) as { jwks_uri?: unknown };
    if (typeof document.jwks_uri !== 'string') throw new Error('no jwks_uri in the discovery document');
    return document.jwks_uri;
  } catch (error) {
    throw new TokenError('ISSUER_UNAVAILABLE', `cannot read ${url}: ${(error as Error).message}`, { cause: error });
  }
}

function classify(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  // A network failure, a timeout, or a generic JOSE error (non-200 or malformed JWKS response) is the issuer's side.
  if (
    !(error instanceof joseErrors.JOSEError) ||
    error instanceof joseErrors.JWKSTimeout ||
    error.code === 'ERR_JOSE_GENERIC'
  ) {
    return new TokenError('ISSUER_UNAVAILABLE', `cannot fetch the issuer's keys: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return new TokenError('UNAUTHENTICATED', `token refused: ${error.message} (${error.code})`, { cause: error });
}

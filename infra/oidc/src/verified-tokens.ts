import type { VerifiedToken } from './token-verifier.js';

export type TokenVerifier = (jwt: string) => Promise<VerifiedToken>;

export interface RememberOptions {
  /** Tokens kept at most; the least recently used go first (default 10,000). */
  maxEntries?: number;
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number;
}

/**
 * Remembers the tokens `verify` accepted until they expire. An editor sends the same token with
 * every proposal, and checking its signature again costs about a millisecond of CPU each time;
 * the same bytes verified once stay valid until their `exp` (nothing here revokes tokens
 * earlier). Refusals are not remembered: each is checked again.
 */
export function rememberVerified(verify: TokenVerifier, options: RememberOptions = {}): TokenVerifier {
  const { maxEntries = 10_000, clock = Date.now } = options;
  const verified = new Map<string, VerifiedToken>();
  return async (jwt) => {
    const known = verified.get(jwt);
    if (known) {
      verified.delete(jwt);
      if (known.expiresAt.getTime() > clock()) {
        verified.set(jwt, known);
        return known;
      }
    }
    const token = await verify(jwt);
    verified.set(jwt, token);
    if (verified.size > maxEntries) verified.delete(verified.keys().next().value!);
    return token;
  };
}

import { describe, expect, it } from 'vitest';
import type { VerifiedToken } from './token-verifier.js';
import { rememberVerified } from './verified-tokens.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');

/** A verifier that accepts `good-*` tokens for 60 s from T0 and counts its calls. */
function countingVerifier() {
  const calls: string[] = [];
  const verify = async (jwt: string): Promise<VerifiedToken> => {
    calls.push(jwt);
    if (!jwt.startsWith('good')) throw new Error(`refused ${jwt}`);
    return { tenantId: 'acme', actorId: jwt, roles: ['editor'], expiresAt: new Date(T0 + 60_000), payload: {} };
  };
  return { calls, verify };
}

describe('rememberVerified', () => {
  it('verifies a token once and answers again from memory until it expires', async () => {
    const { calls, verify } = countingVerifier();
    let now = T0;
    const remembered = rememberVerified(verify, { clock: () => now });

    const first = await remembered('good-a');
    now = T0 + 59_000;
    expect(await remembered('good-a')).toBe(first);
    expect(calls).toEqual(['good-a']);

    now = T0 + 60_000; // expired: asked again (and the verifier decides)
    await remembered('good-a');
    expect(calls).toEqual(['good-a', 'good-a']);
  });

  it('never remembers a refusal', async () => {
    const { calls, verify } = countingVerifier();
    const remembered = rememberVerified(verify, { clock: () => T0 });
    await expect(remembered('bad')).rejects.toThrow('refused bad');
    await expect(remembered('bad')).rejects.toThrow('refused bad');
    expect(calls).toEqual(['bad', 'bad']);
  });

  it('keeps at most maxEntries tokens, dropping the least recently used', async () => {
    const { calls, verify } = countingVerifier();
    const remembered = rememberVerified(verify, { clock: () => T0, maxEntries: 2 });
    await remembered('good-a');
    await remembered('good-b');
    await remembered('good-a'); // a is now the most recent
    await remembered('good-c'); // b goes
    await remembered('good-a');
    await remembered('good-b');
    expect(calls).toEqual(['good-a', 'good-b', 'good-c', 'good-b']);
  });
});

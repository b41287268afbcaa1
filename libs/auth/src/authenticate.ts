import { TokenError, type VerifiedToken } from '@flowledger/oidc';
import { AuthenticationError } from './authentication-error.js';
import type { Caller, MetadataReader } from './caller.js';

export type TokenVerifier = (jwt: string) => Promise<VerifiedToken>;

/**
 * Establishes the caller from `authorization: Bearer <JWT>`. Tenant and actor come from the
 * verified token; `x-tenant-id` / `x-actor-id` headers are optional, but when present they must
 * agree with it — a disagreeing header is a forgery attempt and is refused.
 */
export async function authenticate(read: MetadataReader, verify: TokenVerifier): Promise<Caller> {
  const header = read('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw new AuthenticationError('missing "authorization: Bearer <token>" metadata');
  let token: VerifiedToken;
  try {
    token = await verify(match[1]!);
  } catch (error) {
    // TokenError messages already say "token refused: …" where that is what happened.
    if (error instanceof TokenError) throw new AuthenticationError(error.message, error.retriable);
    throw error;
  }
  for (const [headerName, claimed] of [
    ['x-tenant-id', token.tenantId],
    ['x-actor-id', token.actorId],
  ] as const) {
    const value = read(headerName);
    if (value !== undefined && value !== claimed) {
      throw new AuthenticationError(`${headerName} "${value}" disagrees with the token (${claimed})`);
    }
  }
  return {
    tenantId: token.tenantId,
    actorId: token.actorId,
    roles: token.roles,
    kind: token.roles.includes('agent') ? 'agent' : 'user',
    runId: read('x-run-id'),
    requestId: read('x-request-id'),
    traceparent: read('traceparent'),
  };
}

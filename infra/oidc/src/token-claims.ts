import { TokenError } from './token-errors.js';

/** The RBAC roles a token may carry (DESIGN §9). */
export const ROLES = ['viewer', 'editor', 'reviewer', 'admin', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/** Tenant and actor ids end up in topic names and Postgres rows, so they are restricted to a safe, lowercase alphabet. */
export const IDENTIFIER_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** What flowledger reads from a verified token, whoever issued it. */
export interface FlowledgerIdentity {
  tenantId: string;
  actorId: string;
  roles: Role[];
}

/** Throws INVALID_ARGUMENT naming the field unless `value` is a tenant or actor id. */
export function checkIdentifier(field: 'tenant' | 'actor', value: unknown): string {
  if (typeof value !== 'string' || !IDENTIFIER_PATTERN.test(value)) {
    throw new TokenError(
      'INVALID_ARGUMENT',
      `${field} must be 1-63 characters of a-z, 0-9, "_" or "-", starting with a letter or digit (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

/** Throws INVALID_ARGUMENT unless `value` is a non-empty list of known roles; returns them without duplicates. */
export function checkRoles(value: unknown): Role[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TokenError('INVALID_ARGUMENT', `roles must name at least one of ${ROLES.join(', ')}`);
  }
  const unknown = value.filter((role) => !(ROLES as readonly unknown[]).includes(role));
  if (unknown.length > 0) {
    throw new TokenError(
      'INVALID_ARGUMENT',
      `unknown role(s) ${unknown.map((r) => JSON.stringify(r)).join(', ')}; allowed: ${ROLES.join(', ')}`,
    );
  }
  return [...new Set(value as Role[])];
}

/** Reads the flowledger claims of a verified payload; a token without them is refused as UNAUTHENTICATED. */
export function identityFromClaims(payload: Record<string, unknown>): FlowledgerIdentity {
  try {
    return {
      tenantId: checkIdentifier('tenant', payload.tenant_id),
      actorId: checkIdentifier('actor', payload.actor_id ?? payload.sub),
      roles: checkRoles(payload.roles),
    };
  } catch (error) {
    throw new TokenError('UNAUTHENTICATED', `token claims are unusable: ${(error as Error).message}`, { cause: error });
  }
}

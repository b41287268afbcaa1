import { IDENTIFIER_PATTERN, type Role } from './token-claims.js';

/** The tenant a dev sign-in lands in when the login names none. */
export const DEV_DEFAULT_TENANT = 'demo';

/** A developer signing in locally may do everything a person can; agents get tokens from `flowledger token`. */
const DEV_ROLES: Role[] = ['viewer', 'editor', 'reviewer', 'admin'];

export interface DevAccount {
  accountId: string;
  tenantId: string;
  actorId: string;
  roles: Role[];
}

/**
 * Dev sign-in accepts any login of the form `actor` or `actor@tenant` (no password; the
 * embedded issuer is for local development only). Returns undefined for a login that would
 * not make a valid actor or tenant id, which the provider shows as a failed sign-in.
 */
export function devAccount(login: string): DevAccount | undefined {
  const [actorId = '', tenantId = DEV_DEFAULT_TENANT, ...rest] = login.trim().toLowerCase().split('@');
  if (rest.length > 0 || !IDENTIFIER_PATTERN.test(actorId) || !IDENTIFIER_PATTERN.test(tenantId)) return undefined;
  return { accountId: login, tenantId, actorId, roles: DEV_ROLES };
}

/** The custom claims an account's tokens carry, the same names `flowledger token` uses. */
export function accountClaims(account: DevAccount): { tenant_id: string; actor_id: string; roles: Role[] } {
  return { tenant_id: account.tenantId, actor_id: account.actorId, roles: account.roles };
}

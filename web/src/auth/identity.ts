/** Who is signed in, read from the access token's claims (the server verifies them; this is for display and UI state). */
export interface Identity {
  token: string;
  tenantId: string;
  actorId: string;
  roles: string[];
  /** Seconds since the epoch. */
  expiresAt: number;
}

export function identityFromToken(token: string): Identity {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const json = atob(
    payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '='),
  );
  const claims = JSON.parse(json) as {
    tenant_id?: string;
    actor_id?: string;
    sub?: string;
    roles?: string[];
    exp?: number;
  };
  return {
    token,
    tenantId: claims.tenant_id ?? '',
    actorId: claims.actor_id ?? claims.sub ?? '',
    roles: claims.roles ?? [],
    expiresAt: claims.exp ?? 0,
  };
}

/** Editors and admins propose changes; everyone else only looks. */
export function canEdit(identity: Identity): boolean {
  return identity.roles.includes('editor') || identity.roles.includes('admin');
}

export function expired(identity: Identity, nowSeconds: number): boolean {
  return identity.expiresAt <= nowSeconds + 10;
}

import type { Pool } from 'pg';
import { validatePolicy, type SnapshotPolicy } from './snapshot-policy.js';

/**
 * Per-tenant snapshot policies (`snapshot_policies`), over the process's default. `policyFor` is
 * synchronous because `needsXml` is; `load` (the projection's `prepare`, awaited before each
 * fetched set of events) reads the tenants it has not read within `refreshMs`. A tenant seen for
 * the first time is therefore always read before its first event is handled, and a changed
 * policy of a known tenant applies within `refreshMs`.
 */
export interface TenantPolicies {
  policyFor(tenantId: string): SnapshotPolicy;
  load(tenantIds: Iterable<string>): Promise<void>;
}

export function createTenantPolicies(
  pool: Pool,
  defaults: SnapshotPolicy,
  { refreshMs = 10_000, now = () => performance.now() }: { refreshMs?: number; now?: () => number } = {},
): TenantPolicies {
  const known = new Map<string, { policy: SnapshotPolicy | undefined; readAt: number }>();
  return {
    policyFor: (tenantId) => known.get(tenantId)?.policy ?? defaults,
    async load(tenantIds) {
      const t = now();
      const stale = [...new Set(tenantIds)].filter((id) => !(t - (known.get(id)?.readAt ?? -Infinity) < refreshMs));
      if (stale.length === 0) return;
      const { rows } = await pool.query<PolicyRow>(
        'SELECT tenant_id, base_k, max_k, reference_bytes FROM snapshot_policies WHERE tenant_id = ANY($1)',
        [stale],
      );
      const found = new Map(rows.map((r) => [r.tenant_id, fromRow(r)]));
      for (const id of stale) known.set(id, { policy: found.get(id), readAt: t });
    },
  };
}

/** Sets (or with `null` removes) a tenant's policy; validated like the process's own. */
export async function setTenantSnapshotPolicy(
  pool: Pool,
  tenantId: string,
  policy: SnapshotPolicy | null,
): Promise<void> {
  if (policy === null) {
    await pool.query('DELETE FROM snapshot_policies WHERE tenant_id = $1', [tenantId]);
    return;
  }
  const { baseK, maxK, referenceBytes } = validatePolicy(policy);
  await pool.query(
    `INSERT INTO snapshot_policies (tenant_id, base_k, max_k, reference_bytes) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id) DO UPDATE SET base_k = excluded.base_k, max_k = excluded.max_k,
       reference_bytes = excluded.reference_bytes, updated_at = now()`,
    [tenantId, baseK, maxK, referenceBytes],
  );
}

interface PolicyRow {
  tenant_id: string;
  base_k: number;
  max_k: number;
  reference_bytes: number;
}

function fromRow(r: PolicyRow): SnapshotPolicy {
  return { baseK: r.base_k, maxK: r.max_k, referenceBytes: r.reference_bytes };
}

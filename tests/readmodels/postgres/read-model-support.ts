import pg from 'pg';
import { loadStackConfig } from '@flowledger/config';

export const stack = loadStackConfig();

/** The read model's owner (the stack's admin login): for assertions, never for tenant reads. */
export function adminPool(): pg.Pool {
  return new pg.Pool({ connectionString: stack.postgres.url, max: 4 });
}

/** Waits until the live Postgres projector (stack component `projectors`) has applied `version`. */
export async function waitForProjection(
  pool: pg.Pool,
  tenantId: string,
  diagramId: string,
  version: number,
  { schema = 'read_model', timeoutMs = 45_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ applied_version: string }>(
      `SELECT applied_version FROM ${schema}.diagrams WHERE tenant_id = $1 AND diagram_id = $2`,
      [tenantId, diagramId],
    );
    if (rows[0] && Number(rows[0].applied_version) >= version) return;
    if (Date.now() > deadline) {
      throw new Error(
        `projector did not reach ${tenantId}/${diagramId} v${version} in ${timeoutMs} ms (at ${rows[0]?.applied_version ?? 'nothing'})`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

import pg from 'pg';
import { tenantConnectionSettings } from '../postgres/tenant-roles.js';
import { QueryError } from './query-error.js';

/**
 * One small pool per tenant, each logged in as that tenant's read-only role: whatever SQL runs
 * on it, Postgres's row-level security shows it only that tenant's rows. Least recently used
 * pools are closed beyond `capacity`.
 */
export class TenantPools {
  private readonly pools = new Map<string, pg.Pool>();

  constructor(
    private readonly postgresUrl: string,
    private readonly secret: string,
    private readonly capacity = 200,
  ) {}

  /** Runs `sql` as the tenant; a tenant nothing was projected for yet (no role) reads as empty. */
  async query<R extends pg.QueryResultRow>(tenantId: string, sql: string, params: unknown[]): Promise<R[]> {
    try {
      return (await this.poolFor(tenantId).query<R>(sql, params)).rows;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 28P01 bad password / 28000 no such role: the projector has not seen this tenant yet.
      if (code === '28P01' || code === '28000') return [];
      throw new QueryError('UNAVAILABLE', `read model unavailable: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  }

  private poolFor(tenantId: string): pg.Pool {
    let pool = this.pools.get(tenantId);
    if (pool) {
      this.pools.delete(tenantId);
    } else {
      pool = new pg.Pool({
        ...tenantConnectionSettings(this.postgresUrl, this.secret, tenantId),
        max: 4,
        idleTimeoutMillis: 30_000,
      });
      pool.on('error', () => undefined); // an idle connection dropped; the next query reconnects
    }
    this.pools.set(tenantId, pool);
    while (this.pools.size > this.capacity) {
      const [oldest, old] = this.pools.entries().next().value!;
      this.pools.delete(oldest);
      void old.end().catch(() => undefined);
    }
    return pool;
  }
}

import { createHash, createHmac } from 'node:crypto';
import type { ClientConfig, Pool } from 'pg';
import { READ_MODEL_SCHEMA, TENANT_READER_ROLE } from './read-model-schema.js';

/**
 * Tenant isolation is Postgres's job: each tenant reads through a login role of its own, whose
 * RLS policies show only rows with its tenant_id. The role name comes from the tenant id (hashed:
 * role names are at most 63 bytes and tenant ids 100 characters), the password from a secret
 * shared by the projector (which creates the role) and the query service (which logs in as it).
 */
export function tenantRoleName(tenantId: string): string {
  return `flt_${createHash('sha256').update(tenantId, 'utf8').digest('hex').slice(0, 32)}`;
}

export function tenantRolePassword(secret: string, tenantId: string): string {
  return createHmac('sha256', secret).update(`read-model:${tenantId}`, 'utf8').digest('hex');
}

/** The connection settings of a tenant's read-only, row-limited login: what the query service uses. */
export function tenantConnectionSettings(postgresUrl: string, secret: string, tenantId: string): ClientConfig {
  const url = new URL(postgresUrl);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    user: tenantRoleName(tenantId),
    password: tenantRolePassword(secret, tenantId),
    application_name: `flowledger-query:${tenantId}`.slice(0, 63),
  };
}

/** Creates tenants' login roles on demand (once per process and tenant; idempotent across processes). */
export class TenantRoles {
  private readonly provisioned = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly secret: string,
  ) {}

  async ensure(tenantIds: Iterable<string>): Promise<void> {
    for (const tenantId of tenantIds) {
      if (this.provisioned.has(tenantId)) continue;
      await this.create(tenantId);
      this.provisioned.add(tenantId);
    }
  }

  private async create(tenantId: string): Promise<void> {
    const role = tenantRoleName(tenantId);
    // Both are hex strings we made, so quoting them into DDL (which takes no parameters) is safe.
    const password = tenantRolePassword(this.secret, tenantId);
    const { rows } = await this.pool.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    try {
      if (rows.length === 0) {
        await this.pool.query(
          `CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
           CONNECTION LIMIT 20 PASSWORD '${password}' IN ROLE ${TENANT_READER_ROLE}`,
        );
      } else {
        await this.pool.query(`ALTER ROLE ${role} PASSWORD '${password}'`);
      }
    } catch (error) {
      // Another projector created it between our look and our create: that was the goal.
      if ((error as { code?: string }).code !== '42710' && (error as { code?: string }).code !== '23505') throw error;
    }
    await this.pool.query(
      `INSERT INTO ${READ_MODEL_SCHEMA}.tenant_roles (role_name, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [role, tenantId],
    );
  }
}

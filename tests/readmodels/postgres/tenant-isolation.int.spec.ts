import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devToken } from '../../support/modeling-client.js';
import { flow, task } from '../../support/proposal-operations.js';
import { QueryClient } from '../../support/query-client.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { tenantConnectionSettings } from '../../../projectors/src/postgres/tenant-roles.js';
import { currentVersionSchema } from '../../../projectors/src/postgres/read-model-schema.js';
import { loadProjectorsConfig } from '../../../projectors/src/projectors.config.js';
import { adminPool, stack, waitForProjection } from './read-model-support.js';

// The query service's own connection settings: the tenant's login role and the shared secret.
const { readModelSecret: secret, projectionVersion } = loadProjectorsConfig().postgres;
/** The serving version's tables, behind the views (in the schema of its current generation: a full rebuild moves it). */
let tables: string;
const tenantA = uniqueTenant('rm-iso-a');
const tenantB = uniqueTenant('rm-iso-b');
const admin = adminPool();
let asA: pg.Client;
let diagramB: string;

beforeAll(async () => {
  tables = await currentVersionSchema(admin, projectionVersion);
  for (const [tenant, label] of [
    [tenantA, 'a'],
    [tenantB, 'b'],
  ] as const) {
    const client = clientFor(tenant, 'alice', ['editor']);
    const { diagramId } = await client.createDiagram(`secret-of-${label}`);
    const r = await client.propose(diagramId, 1, [task('t1', 100), task('t2', 300), flow('f', 't1', 't2')]);
    if (r.result !== 'applied') throw new Error(`setup proposal rejected: ${r.rejected.message}`);
    await waitForProjection(admin, tenant, diagramId, 2);
    if (tenant === tenantB) diagramB = diagramId;
    client.close();
  }
  asA = new pg.Client(tenantConnectionSettings(stack.postgres.url, secret, tenantA));
  await asA.connect();
});

afterAll(async () => {
  await asA?.end();
  await admin.end();
});

describe('tenant isolation in the Postgres read model, enforced by Postgres', () => {
  it('shows tenant A only its own rows, whatever it selects', async () => {
    for (const relation of [
      'diagrams',
      'elements',
      'flows',
      'versions',
      'actor_activity',
      'element_counts_by_type',
      'edits_per_actor_per_day',
      'lint_warning_density',
    ]) {
      const all = await asA.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM read_model.${relation}`);
      expect(
        all.rows.map((r) => r.tenant_id),
        relation,
      ).toEqual([tenantA]);
      const theirs = await asA.query(`SELECT * FROM read_model.${relation} WHERE tenant_id = $1`, [tenantB]);
      expect(theirs.rows, relation).toEqual([]);
    }
    // The versioned tables behind the views, asked directly, and B's diagram by id.
    const direct = await asA.query(`SELECT * FROM ${tables}.elements WHERE tenant_id <> $1`, [tenantA]);
    expect(direct.rows).toEqual([]);
    const byId = await asA.query(`SELECT * FROM ${tables}.diagrams WHERE diagram_id = $1`, [diagramB]);
    expect(byId.rows).toEqual([]);
    const roles = await asA.query<{ tenant_id: string }>('SELECT tenant_id FROM read_model.tenant_roles');
    expect(roles.rows.map((r) => r.tenant_id)).toEqual([tenantA]);
  });

  it('does not let tenant A switch the policies off, change identity, write, or read the ledger', async () => {
    await expect(asA.query('SET row_security = off; SELECT * FROM read_model.elements')).rejects.toThrow(
      /row-level security/,
    );
    await asA.query('RESET row_security');
    await expect(asA.query(`ALTER TABLE ${tables}.elements DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(/owner/);
    await expect(asA.query('SET SESSION AUTHORIZATION flowledger')).rejects.toThrow(/permission denied/);
    await expect(
      asA.query(
        `INSERT INTO ${tables}.diagrams (tenant_id, diagram_id, applied_version, result_hash, element_count, flow_count, lint_warning_count, lint_warnings, updated_at, updated_by) VALUES ('x', 'y', 1, 'h', 0, 0, 0, '[]', now(), 'me')`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(asA.query('SELECT * FROM public.ledger_events LIMIT 1')).rejects.toThrow(/permission denied/);
    // The group role it belongs to is no tenant at all: it sees nothing.
    await asA.query('SET ROLE flowledger_tenant_reader');
    expect((await asA.query('SELECT * FROM read_model.elements')).rows).toEqual([]);
    await asA.query('RESET ROLE');
  });

  it("cannot log in as tenant B with A's credentials", async () => {
    const settingsA = tenantConnectionSettings(stack.postgres.url, secret, tenantA);
    const settingsB = tenantConnectionSettings(stack.postgres.url, secret, tenantB);
    const intruder = new pg.Client({ ...settingsB, password: settingsA.password });
    await expect(intruder.connect()).rejects.toThrow(/password authentication failed/);
  });

  it("answers tenant A's Query API calls about B's diagram with NOT_FOUND (through Envoy)", async () => {
    const query = new QueryClient(devToken(tenantA, 'alice', ['viewer']));
    await expect(query.call('GetDiagramStats', { diagramId: diagramB })).rejects.toMatchObject({ code: 5 });
    await expect(query.call('GetVersionHistory', { diagramId: diagramB })).rejects.toMatchObject({ code: 5 });
    const activity = await query.call<{ activity: { actorId: string }[] }>('GetActivity', { diagramId: diagramB });
    expect(activity.activity).toEqual([]);
    query.close();
  });
});

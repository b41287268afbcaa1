import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveReadModels } from '../readmodels/support/live-read-models.js';
import { clientFor, uniqueTenant } from '../support/test-tenant.js';
import { buildDiagram, flowledger } from './recovery-fixtures.js';

// `verify` compares the read models' content with what replaying the events gives, not only
// their applied versions: a tampered Postgres row or Neo4j node is named with its diagram.
const tenant = uniqueTenant('verify-content');
const live = new LiveReadModels();
const VERSIONS = 6;
let pgVictim: string;
let graphVictim: string;

beforeAll(async () => {
  const client = clientFor(tenant, 'alice', ['editor']);
  try {
    pgVictim = await buildDiagram(client, 'postgres victim', VERSIONS);
    graphVictim = await buildDiagram(client, 'neo4j victim', VERSIONS);
  } finally {
    client.close();
  }
  for (const d of [pgVictim, graphVictim]) await live.waitForAll(tenant, d, VERSIONS);
}, 120_000);

afterAll(async () => {
  await live.close();
});

describe('verify checks read-model content against the replay', () => {
  it('passes on read models the live projectors wrote', async () => {
    const verified = await flowledger(['verify', '--tenant', tenant]);

    expect(verified.stdout).toContain('read models checked: postgres, neo4j, snapshots');
    expect(verified.stdout).toContain('OK');
    expect(verified.code).toBe(0);
  }, 120_000);

  it('names the diagram, the row and the column of a tampered Postgres row, and a tampered Neo4j node', async () => {
    const schema = await live.postgresSchema();
    const task = 'Task_2_1'; // "start here", renamed at v4 (recovery-fixtures' operationsFor)
    const { rowCount } = await live.pool.query(
      `UPDATE ${schema}.elements SET name = 'tampered' WHERE tenant_id = $1 AND diagram_id = $2 AND element_id = $3`,
      [tenant, pgVictim, task],
    );
    expect(rowCount).toBe(1);
    const labels = await live.servingLabels();
    const { summary } = await live.driver.executeQuery(
      `MATCH (n:${labels.element} {tenant_id: $t, diagram_id: $d, element_id: $id}) SET n.name = 'tampered'`,
      { t: tenant, d: graphVictim, id: task },
    );
    expect(summary.counters.updates().propertiesSet).toBe(1);

    const verified = await flowledger(['verify', '--tenant', tenant]);

    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`MISMATCH ${tenant}/${pgVictim} v${VERSIONS}:`);
    expect(verified.stdout).toContain(
      `postgres: element ${task}: name is "tampered", the replay gives "renamed at ${VERSIONS - 2}"`,
    );
    expect(verified.stdout).toContain(`MISMATCH ${tenant}/${graphVictim} v${VERSIONS}:`);
    expect(verified.stdout).toContain(
      `neo4j: node ${task}: name is "tampered", the replay gives "renamed at ${VERSIONS - 2}"`,
    );
    expect(verified.stdout).toMatch(/FAILED: 2 diagram\(s\) with problems/);
  }, 120_000);

  it('is satisfied again once the tenant is rebuilt from the streams', async () => {
    const rebuilt = await flowledger(['rebuild', '--read-model', 'postgres', '--tenant', tenant]);
    expect(rebuilt.code).toBe(0);
    const graph = await flowledger(['rebuild', '--read-model', 'neo4j', '--tenant', tenant]);
    expect(graph.code).toBe(0);

    const verified = await flowledger(['verify', '--tenant', tenant]);

    expect(verified.stdout).toContain('OK');
    expect(verified.code).toBe(0);
  }, 180_000);
});

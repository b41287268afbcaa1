import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rename, shape, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { adminPool, waitForProjection } from './read-model-support.js';

const tenant = uniqueTenant('rm-lint');
const pool = adminPool();
let diagramId: string;
let version: number;

beforeAll(async () => {
  const alice = clientFor(tenant, 'alice', ['editor']);
  ({ diagramId, version } = await alice.createDiagram('lint over time'));
  // Unnamed tasks draw warnings, naming them takes some away: the count changes version by version.
  for (const ops of [
    [task('a', 100), task('b', 300)],
    [shape('start', 'bpmn:StartEvent', 0)],
    [rename('Task_2_1', 'Check')],
  ]) {
    const r = await alice.propose(diagramId, version, ops);
    if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.message}`);
    version = r.applied.version;
  }
  await waitForProjection(pool, tenant, diagramId, version);
  alice.close();
});

afterAll(async () => {
  await pool.end();
});

describe('lint warnings in the Postgres read model', () => {
  it("keeps each version's count, and the current version's findings on the diagram, as the ledger has them", async () => {
    const scope = [tenant, diagramId];
    const { rows: ledger } = await pool.query<{ version: string; lint_warnings: unknown[] }>(
      'SELECT version, lint_warnings FROM ledger_events WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version',
      scope,
    );
    const { rows: history } = await pool.query<{ version: string; lint_warning_count: number }>(
      'SELECT version, lint_warning_count FROM read_model.versions WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version',
      scope,
    );
    const counts = ledger.map((r) => r.lint_warnings.length);
    expect(new Set(counts).size).toBeGreaterThan(1);
    expect(history).toEqual(ledger.map((r, i) => ({ version: r.version, lint_warning_count: counts[i] })));

    const current = ledger[ledger.length - 1]!;
    expect(current.lint_warnings.length).toBeGreaterThan(0);
    const { rows: diagram } = await pool.query(
      'SELECT applied_version, lint_warning_count, lint_warnings FROM read_model.diagrams WHERE tenant_id = $1 AND diagram_id = $2',
      scope,
    );
    expect(diagram).toEqual([
      {
        applied_version: current.version,
        lint_warning_count: current.lint_warnings.length,
        lint_warnings: current.lint_warnings,
      },
    ]);

    const { rows: density } = await pool.query<{ mean_warnings_per_version: number }>(
      'SELECT mean_warnings_per_version FROM read_model.lint_warning_density WHERE tenant_id = $1 AND diagram_id = $2',
      scope,
    );
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(density[0]!.mean_warnings_per_version).toBeCloseTo(mean, 10);
  });
});

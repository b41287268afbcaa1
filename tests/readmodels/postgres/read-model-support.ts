import pg from 'pg';
import { parseDiagram } from '@flowledger/bpmn-operations';
import { loadStackConfig } from '@flowledger/config';
import { diagramRows } from '../../../projectors/src/postgres/element-rows.js';

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

export interface ComparableRows {
  elements: { id: string; type: string; name: string | null }[];
  flows: { id: string; type: string; source: string | null; target: string | null }[];
}

/** What the command side's XML says the read model must hold (ids, types, names, flow ends). */
export async function expectedRowsOf(xml: string): Promise<ComparableRows> {
  const rows = diagramRows(await parseDiagram(xml));
  return sortRows({
    elements: rows.elements.map((e) => ({ id: e.elementId, type: e.elementType, name: e.name })),
    flows: rows.flows.map((f) => ({ id: f.flowId, type: f.flowType, source: f.sourceId, target: f.targetId })),
  });
}

/** What the read model holds for one diagram, in the same shape. */
export async function storedRows(
  pool: pg.Pool,
  tenantId: string,
  diagramId: string,
  schema = 'read_model',
): Promise<ComparableRows & { elementCount: number; flowCount: number; version: number }> {
  const elements = await pool.query<{ element_id: string; element_type: string; name: string | null }>(
    `SELECT element_id, element_type, name FROM ${schema}.elements WHERE tenant_id = $1 AND diagram_id = $2`,
    [tenantId, diagramId],
  );
  const flows = await pool.query<{
    flow_id: string;
    flow_type: string;
    source_id: string | null;
    target_id: string | null;
  }>(`SELECT flow_id, flow_type, source_id, target_id FROM ${schema}.flows WHERE tenant_id = $1 AND diagram_id = $2`, [
    tenantId,
    diagramId,
  ]);
  const { rows } = await pool.query<{ element_count: number; flow_count: number; applied_version: string }>(
    `SELECT element_count, flow_count, applied_version FROM ${schema}.diagrams WHERE tenant_id = $1 AND diagram_id = $2`,
    [tenantId, diagramId],
  );
  return {
    ...sortRows({
      elements: elements.rows.map((e) => ({ id: e.element_id, type: e.element_type, name: e.name })),
      flows: flows.rows.map((f) => ({ id: f.flow_id, type: f.flow_type, source: f.source_id, target: f.target_id })),
    }),
    elementCount: rows[0]?.element_count ?? -1,
    flowCount: rows[0]?.flow_count ?? -1,
    version: Number(rows[0]?.applied_version ?? 0),
  };
}

function sortRows(r: ComparableRows): ComparableRows {
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { elements: [...r.elements].sort(byId), flows: [...r.flows].sort(byId) };
}

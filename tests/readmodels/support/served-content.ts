import type pg from 'pg';
import type { Driver } from 'neo4j-driver';
import { readGraphContent, type GraphLabels } from '../../../projectors/src/neo4j/index.js';
import { readPostgresContent } from '../../../projectors/src/postgres/read-model-content.js';

/** Read models as the live or the scratch ones (`LiveReadModels`, `ScratchReadModels`) offer them. */
export interface ServingReadModels {
  pool: pg.Pool;
  driver: Driver;
  postgresSchema(): Promise<string>;
  servingLabels(): Promise<GraphLabels>;
}

/**
 * What the Postgres and Neo4j read models serve for some diagrams of a tenant, in order: for
 * comparing before and after a rebuild (equal when nothing was lost or damaged).
 */
export async function servedContent(
  models: ServingReadModels,
  tenantId: string,
  diagramIds: string[],
): Promise<unknown[]> {
  const schema = await models.postgresSchema();
  const labels = await models.servingLabels();
  const out: unknown[] = [];
  for (const diagramId of diagramIds) {
    out.push(await readPostgresContent(models.pool, schema, tenantId, diagramId));
    out.push(await readGraphContent(models.driver, labels, tenantId, diagramId));
  }
  return out;
}

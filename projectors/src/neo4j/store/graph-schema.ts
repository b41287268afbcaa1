import type { Driver } from 'neo4j-driver';
import { SERVING_LABEL, type GraphLabels } from './graph-labels.js';

/** Constraints and indexes of one projection version; `IF NOT EXISTS` makes them idempotent. */
export function schemaStatements(labels: GraphLabels): string[] {
  const v = labels.projectionVersion;
  return [
    `CREATE CONSTRAINT bpmn_v${v}_element_key IF NOT EXISTS
FOR (n:${labels.element}) REQUIRE (n.tenant_id, n.diagram_id, n.element_id) IS UNIQUE`,
    `CREATE CONSTRAINT bpmn_diagram_v${v}_key IF NOT EXISTS
FOR (d:${labels.diagram}) REQUIRE (d.tenant_id, d.diagram_id) IS UNIQUE`,
    // reset(tenant) and per-diagram scans: the composite key's index needs every key property.
    `CREATE INDEX bpmn_v${v}_tenant IF NOT EXISTS FOR (n:${labels.element}) ON (n.tenant_id)`,
    `CREATE INDEX bpmn_v${v}_diagram IF NOT EXISTS FOR (n:${labels.element}) ON (n.tenant_id, n.diagram_id)`,
    `CREATE CONSTRAINT ${SERVING_LABEL.toLowerCase()}_name IF NOT EXISTS FOR (p:${SERVING_LABEL}) REQUIRE p.name IS UNIQUE`,
  ];
}

/**
 * Creates the schema at start. Two processes starting together may both pass `IF NOT EXISTS`;
 * the loser's "already exists" is success.
 */
export async function ensureGraphSchema(driver: Driver, labels: GraphLabels): Promise<void> {
  for (const statement of schemaStatements(labels)) {
    try {
      await driver.executeQuery(statement);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!/EquivalentSchemaRuleAlreadyExists|ConstraintAlreadyExists|IndexAlreadyExists/.test(code)) throw error;
    }
  }
  await driver.executeQuery('CALL db.awaitIndexes(60)');
}

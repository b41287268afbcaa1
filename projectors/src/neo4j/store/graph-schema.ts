import type { Driver } from 'neo4j-driver';
import { SERVING_LABEL, VERSION_LABEL, type GraphLabels } from './graph-labels.js';

/** Constraints and indexes of one projection version's labels; `IF NOT EXISTS` makes them idempotent. */
export function schemaStatements(labels: GraphLabels): string[] {
  const k = labels.key;
  return [
    `CREATE CONSTRAINT ${k}_element_key IF NOT EXISTS
FOR (n:${labels.element}) REQUIRE (n.tenant_id, n.diagram_id, n.element_id) IS UNIQUE`,
    `CREATE CONSTRAINT ${k.replace(/^bpmn_/, 'bpmn_diagram_')}_key IF NOT EXISTS
FOR (d:${labels.diagram}) REQUIRE (d.tenant_id, d.diagram_id) IS UNIQUE`,
    // reset(tenant) and per-diagram scans: the composite key's index needs every key property.
    `CREATE INDEX ${k}_tenant IF NOT EXISTS FOR (n:${labels.element}) ON (n.tenant_id)`,
    `CREATE INDEX ${k}_diagram IF NOT EXISTS FOR (n:${labels.element}) ON (n.tenant_id, n.diagram_id)`,
    `CREATE CONSTRAINT ${SERVING_LABEL.toLowerCase()}_name IF NOT EXISTS FOR (p:${SERVING_LABEL}) REQUIRE p.name IS UNIQUE`,
    `CREATE CONSTRAINT ${VERSION_LABEL.toLowerCase()}_key IF NOT EXISTS
FOR (g:${VERSION_LABEL}) REQUIRE (g.name, g.version) IS UNIQUE`,
  ];
}

/** Drops the constraints and indexes of labels no longer used (an old generation, a finished build). */
export function dropSchemaStatements(labels: GraphLabels): string[] {
  const k = labels.key;
  return [
    `DROP CONSTRAINT ${k}_element_key IF EXISTS`,
    `DROP CONSTRAINT ${k.replace(/^bpmn_/, 'bpmn_diagram_')}_key IF EXISTS`,
    `DROP INDEX ${k}_tenant IF EXISTS`,
    `DROP INDEX ${k}_diagram IF EXISTS`,
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

export async function dropGraphSchema(driver: Driver, labels: GraphLabels): Promise<void> {
  for (const statement of dropSchemaStatements(labels)) await driver.executeQuery(statement);
}

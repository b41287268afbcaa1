import type { Driver } from 'neo4j-driver';
import type { GraphLabels } from './graph-labels.js';
import type { CypherStatement } from './graph-writes.js';

/** Nodes (serving and built together) moved per transaction when a tenant build replaces the serving graph. */
export const DEFAULT_SWITCH_STEP_NODES = 4_000;

/**
 * Counts a tenant's nodes per diagram under the serving and the build labels: what a switch
 * has to delete and relabel.
 */
export function tenantNodesStatement(serving: GraphLabels, build: GraphLabels, tenantId: string): CypherStatement {
  const arm = (label: string) => `MATCH (n:${label} {tenant_id: $tenantId}) RETURN n.diagram_id AS diagramId`;
  return {
    text: `CALL () {
  ${[serving.element, serving.diagram, build.element, build.diagram].map(arm).join('\n  UNION ALL\n  ')}
}
RETURN diagramId, count(*) AS nodes
ORDER BY diagramId`,
    params: { tenantId },
  };
}

/** Groups diagrams, in order, into steps of at most `maxNodes` nodes (a larger diagram alone). */
export function switchSteps(diagrams: { diagramId: string; nodes: number }[], maxNodes: number): string[][] {
  const steps: string[][] = [];
  let step: string[] = [];
  let nodes = 0;
  for (const d of diagrams) {
    if (step.length > 0 && nodes + d.nodes > maxNodes) {
      steps.push(step);
      step = [];
      nodes = 0;
    }
    step.push(d.diagramId);
    nodes += d.nodes;
  }
  if (step.length > 0) steps.push(step);
  return steps;
}

/** One step: the serving nodes of these diagrams deleted, the built ones relabelled in their place. */
export function switchStepStatements(
  serving: GraphLabels,
  build: GraphLabels,
  tenantId: string,
  diagramIds: string[],
): CypherStatement[] {
  const params = { tenantId, diagramIds };
  const scope = (alias: string, label: string) =>
    `UNWIND $diagramIds AS diagramId\nMATCH (${alias}:${label} {tenant_id: $tenantId, diagram_id: diagramId})`;
  return [
    { text: `${scope('n', serving.element)}\nDETACH DELETE n`, params },
    { text: `${scope('n', serving.diagram)}\nDETACH DELETE n`, params },
    { text: `${scope('n', build.element)}\nREMOVE n:${build.element}\nSET n:${serving.element}`, params },
    { text: `${scope('n', build.diagram)}\nREMOVE n:${build.diagram}\nSET n:${serving.diagram}`, params },
  ];
}

/**
 * Replaces a tenant's serving graph by its build, diagram by diagram, a bounded number of nodes
 * per transaction: one transaction for a whole tenant hits Neo4j's transaction-memory limit
 * (`db.memory.transaction.max`, 128 MiB here) at some 20,000 nodes. Each diagram switches
 * atomically; while the steps run (the live writer held back by the rebuild's freeze), a
 * question about another diagram may still be answered from its old nodes, which hold the same
 * content unless they were damaged — the reason for the rebuild.
 */
export async function switchTenantInSteps(
  driver: Driver,
  serving: GraphLabels,
  build: GraphLabels,
  tenantId: string,
  maxNodes = DEFAULT_SWITCH_STEP_NODES,
): Promise<number> {
  const count = tenantNodesStatement(serving, build, tenantId);
  const { records } = await driver.executeQuery(count.text, count.params);
  const diagrams = records.map((r) => ({ diagramId: String(r.get('diagramId')), nodes: Number(r.get('nodes')) }));
  const steps = switchSteps(diagrams, maxNodes);
  for (const diagramIds of steps) {
    const session = driver.session();
    try {
      await session.executeWrite(async (tx) => {
        for (const s of switchStepStatements(serving, build, tenantId, diagramIds)) await tx.run(s.text, s.params);
      });
    } finally {
      await session.close();
    }
  }
  return steps.length;
}

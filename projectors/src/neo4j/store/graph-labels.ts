/**
 * The labels of one projection version. Every node of version N carries `Bpmn_vN` (keyed by
 * tenant, diagram and element id); each diagram has one `BpmnDiagram_vN` node recording the
 * applied version. A new projection version rebuilds under its own labels while the old one
 * keeps serving; queries read the version they are configured for (issue 4, item 5).
 */
export interface GraphLabels {
  projectionVersion: number;
  element: string;
  diagram: string;
}

export function graphLabels(projectionVersion: number): GraphLabels {
  if (!Number.isInteger(projectionVersion) || projectionVersion < 1) {
    throw new Error(`neo4j projection: version must be a positive integer, got ${projectionVersion}`);
  }
  return {
    projectionVersion,
    element: `Bpmn_v${projectionVersion}`,
    diagram: `BpmnDiagram_v${projectionVersion}`,
  };
}

/** One node per read model (`name: 'neo4j'`) whose `active_version` says which labels serve reads. */
export const SERVING_LABEL = 'GraphProjection';
export const SERVING_NAME = 'neo4j';

/** Makes `labels` the serving version unless a newer one already is (item 5: never demote). */
export function activateStatement(
  labels: GraphLabels,
  name = SERVING_NAME,
): { text: string; params: Record<string, unknown> } {
  return {
    text: `MERGE (p:${SERVING_LABEL} {name: $name})
ON CREATE SET p.active_version = toInteger($version)
SET p.active_version = CASE WHEN p.active_version < toInteger($version) THEN toInteger($version) ELSE p.active_version END`,
    params: { version: labels.projectionVersion, name },
  };
}

export function servingVersionStatement(name = SERVING_NAME): { text: string; params: Record<string, unknown> } {
  return { text: `MATCH (p:${SERVING_LABEL} {name: $name}) RETURN p.active_version AS version`, params: { name } };
}

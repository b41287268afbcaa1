/**
 * The labels of one projection version's graph. Every node carries `element` (keyed by tenant,
 * diagram and element id); each diagram has one `diagram` node recording the applied version.
 * A new projection version rebuilds under its own labels while the old one keeps serving (item 5),
 * and so does a full rebuild of a version: generation G > 1 of version N is `Bpmn_vN_gG`. The
 * queries read the labels of the serving version's current generation.
 */
/** The projection version this code writes by default: bump it when the graph's shape changes. */
export const NEO4J_PROJECTION_VERSION = 1;

export interface GraphLabels {
  projectionVersion: number;
  generation: number;
  element: string;
  diagram: string;
  /** Prefix of the constraint and index names of these labels. */
  key: string;
}

export function graphLabels(projectionVersion: number, generation = 1): GraphLabels {
  if (!Number.isInteger(projectionVersion) || projectionVersion < 1) {
    throw new Error(`neo4j projection: version must be a positive integer, got ${projectionVersion}`);
  }
  if (!Number.isInteger(generation) || generation < 1) {
    throw new Error(`neo4j projection: generation must be a positive integer, got ${generation}`);
  }
  const suffix = generation === 1 ? `v${projectionVersion}` : `v${projectionVersion}_g${generation}`;
  return {
    projectionVersion,
    generation,
    element: `Bpmn_${suffix}`,
    diagram: `BpmnDiagram_${suffix}`,
    key: `bpmn_${suffix}`,
  };
}

/** One node per read model (`name: 'neo4j'`) whose `active_version` says which version serves reads. */
export const SERVING_LABEL = 'GraphProjection';
export const SERVING_NAME = 'neo4j';
/** One node per read model and projection version whose `generation` says which labels hold it now. */
export const VERSION_LABEL = 'GraphProjectionVersion';

/** Makes `labels`' version the serving one unless a newer one already is (item 5: never demote). */
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

/**
 * The serving version (null before any activation) and the generation of a version (by default the
 * serving one): what queries read before each question.
 */
export function servingVersionStatement(name = SERVING_NAME): { text: string; params: Record<string, unknown> } {
  return {
    text: `OPTIONAL MATCH (p:${SERVING_LABEL} {name: $name})
OPTIONAL MATCH (g:${VERSION_LABEL} {name: $name, version: p.active_version})
RETURN p.active_version AS version, g.generation AS generation`,
    params: { name },
  };
}

/**
 * Locks a version's record (creating it at generation 1) and returns its generation: the first
 * statement of every live write, so that a rebuild holding the lock (`freeze`) holds the writer
 * back, and a write after the switch learns the new generation.
 */
export function lockVersionStatement(
  projectionVersion: number,
  name = SERVING_NAME,
): { text: string; params: Record<string, unknown> } {
  return {
    text: `MERGE (g:${VERSION_LABEL} {name: $name, version: toInteger($version)})
ON CREATE SET g.generation = 1
SET g.generation = g.generation
RETURN g.generation AS generation`,
    params: { name, version: projectionVersion },
  };
}

import neo4j from 'neo4j-driver';
import type { CypherStatement } from '../store/graph-writes.js';
import type { GraphLabels } from '../store/graph-labels.js';
import {
  DEFAULT_PATH_LENGTH,
  DEFAULT_PATHS,
  GraphQueryError,
  MAX_PATH_LENGTH,
  MAX_PATHS,
  type GraphScope,
  type PathRequest,
} from './graph-queries.js';

/**
 * Pure Cypher builders for the graph questions. Every node pattern they write comes from
 * `scoped`, which puts the tenant and diagram into it, and the scope is checked before any
 * text is built: a query without a tenant cannot be expressed with these builders. Paths
 * additionally check every node on them, so a relationship leading out of the scope (which the
 * projector never writes) could still not carry an answer across.
 */
export function appliedVersionQuery(labels: GraphLabels, scope: GraphScope): CypherStatement {
  return {
    text: `OPTIONAL MATCH (d:${labels.diagram} {tenant_id: $tenantId, diagram_id: $diagramId})
RETURN coalesce(d.applied_version, 0) AS appliedVersion`,
    params: scopeParams(scope),
  };
}

export function unreachableQuery(labels: GraphLabels, scope: GraphScope): CypherStatement {
  return {
    // DISTINCT over the end node lets the planner expand breadth-first, each node once.
    text: `OPTIONAL MATCH ${scoped('root', labels, ':FlowNode', 'entry_point: true')}
${byDiagram('root', labels)}
OPTIONAL MATCH (root)-[:SEQUENCE_FLOW*0..]->${scoped('reached', labels)}
WITH collect(DISTINCT reached.element_id) AS reachedIds
MATCH ${scoped('n', labels, ':FlowNode')}
${byDiagram('n', labels)}
WHERE NOT n.element_id IN reachedIds
RETURN n.element_id AS elementId, n.type AS type, n.name AS name
ORDER BY elementId`,
    params: scopeParams(scope),
  };
}

export function pathsQuery(labels: GraphLabels, scope: GraphScope, request: PathRequest): CypherStatement {
  const { maxLength, limit } = pathBounds(request);
  if (!request.fromId || !request.toId) throw new GraphQueryError('INVALID_ARGUMENT', 'fromId and toId are required');
  const types = request.viaMessageFlows ? 'SEQUENCE_FLOW|MESSAGE_FLOW' : 'SEQUENCE_FLOW';
  const inScope = 'all(x IN nodes(p) WHERE x.tenant_id = $tenantId AND x.diagram_id = $diagramId)';
  const ends = `MATCH ${scoped('a', labels, '', 'element_id: $fromId')}
${byKey('a', labels)}
MATCH ${scoped('b', labels, '', 'element_id: $toId')}
${byKey('b', labels)}`;
  const result = `RETURN [x IN nodes(p) | x.element_id] AS elementIds, [r IN relationships(p) | r.element_id] AS flowIds`;
  const params = { ...scopeParams(scope), fromId: request.fromId, toId: request.toId };
  if (request.mode === 'shortest') {
    // Variable-length bounds cannot be parameters; maxLength is a checked integer.
    return {
      text: `${ends}
MATCH p = shortestPath((a)-[:${types}*1..${maxLength}]->(b))
WHERE ${inScope}
${result}`,
      params,
    };
  }
  return {
    text: `${ends}
MATCH p = (a)-[:${types}*1..${maxLength}]->(b)
WHERE ${inScope}
  AND all(i IN range(1, size(nodes(p)) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
${result}
LIMIT $limitPlusOne`,
    // An integer for LIMIT: JavaScript numbers reach Cypher as floats.
    params: { ...params, limitPlusOne: neo4j.int(limit + 1) },
  };
}

/** Which of the requested ends exist in the scope. */
export function existingIdsQuery(labels: GraphLabels, scope: GraphScope, ids: string[]): CypherStatement {
  return {
    text: `UNWIND $ids AS id
MATCH ${scoped('n', labels, '', 'element_id: id')}
${byKey('n', labels)}
RETURN collect(n.element_id) AS found`,
    params: { ...scopeParams(scope), ids },
  };
}

export function danglingFlowsQuery(labels: GraphLabels, scope: GraphScope): CypherStatement {
  return {
    text: `MATCH ${scoped('f', labels, ':DanglingFlow')}
${byDiagram('f', labels)}
RETURN f.element_id AS elementId, f.type AS type, f.name AS name,
  f.source_id AS sourceId, f.target_id AS targetId, f.missing AS missing
ORDER BY elementId`,
    params: scopeParams(scope),
  };
}

export function isolatedNodesQuery(labels: GraphLabels, scope: GraphScope): CypherStatement {
  return {
    text: `MATCH ${scoped('n', labels, ':FlowNode')}
${byDiagram('n', labels)}
WHERE n.exempt_from_flows = false AND NOT EXISTS { (n)-[:SEQUENCE_FLOW]-() }
RETURN n.element_id AS elementId, n.type AS type, n.name AS name
ORDER BY elementId`,
    params: scopeParams(scope),
  };
}

/** The request's bounds, defaulted and checked. */
export function pathBounds(request: PathRequest): { maxLength: number; limit: number } {
  const maxLength = request.maxLength || DEFAULT_PATH_LENGTH;
  const limit = request.limit || DEFAULT_PATHS;
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_PATH_LENGTH) {
    throw new GraphQueryError('INVALID_ARGUMENT', `maxLength must be an integer in 1..${MAX_PATH_LENGTH}`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PATHS) {
    throw new GraphQueryError('INVALID_ARGUMENT', `limit must be an integer in 1..${MAX_PATHS}`);
  }
  return { maxLength, limit };
}

/** A node pattern of the scope: `(alias:Bpmn_vN<extraLabels> {tenant_id, diagram_id, <extra>})`. */
function scoped(alias: string, labels: GraphLabels, extraLabels = '', extraProperties = ''): string {
  const extra = extraProperties ? `, ${extraProperties}` : '';
  return `(${alias}:${labels.element}${extraLabels} {tenant_id: $tenantId, diagram_id: $diagramId${extra}})`;
}

// Hints: left alone, the planner may seek the tenant-only index and filter the whole tenant; SEEK,
// as a plain INDEX hint is also met by a scan of the whole index.
function byKey(alias: string, labels: GraphLabels): string {
  return `USING INDEX SEEK ${alias}:${labels.element}(tenant_id, diagram_id, element_id)`;
}

function byDiagram(alias: string, labels: GraphLabels): string {
  return `USING INDEX SEEK ${alias}:${labels.element}(tenant_id, diagram_id)`;
}

function scopeParams(scope: GraphScope): { tenantId: string; diagramId: string } {
  if (typeof scope?.tenantId !== 'string' || scope.tenantId === '') {
    throw new GraphQueryError('INVALID_ARGUMENT', 'a graph query needs a tenant');
  }
  if (typeof scope.diagramId !== 'string' || scope.diagramId === '') {
    throw new GraphQueryError('INVALID_ARGUMENT', 'a graph query needs a diagram');
  }
  return { tenantId: scope.tenantId, diagramId: scope.diagramId };
}

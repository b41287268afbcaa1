import type { DiagramGraph, GraphEdge } from '../graph/diagram-graph.js';
import type { GraphDiff } from '../graph/graph-diff.js';
import type { GraphLabels } from './graph-labels.js';

/** One Cypher statement with its parameters. */
export interface CypherStatement {
  text: string;
  params: Record<string, unknown>;
}

export interface DiagramKey {
  tenantId: string;
  diagramId: string;
}

/** One diagram's write in a batch: a diff against what is stored, or a replacement of its subgraph. */
export type DiagramWrite = DiagramKey & { version: number } & (
    { kind: 'diff'; diff: GraphDiff } | { kind: 'replace'; graph: DiagramGraph }
  );

/**
 * Locks the diagram nodes (creating missing ones at version 0) and returns their stored
 * applied versions. Sorted keys make concurrent writers lock in one order.
 */
export function lockDiagramsStatement(labels: GraphLabels, keys: DiagramKey[]): CypherStatement {
  return {
    text: `UNWIND $keys AS key
MERGE (d:${labels.diagram} {tenant_id: key.t, diagram_id: key.d})
ON CREATE SET d.applied_version = 0
SET d.applied_version = d.applied_version
RETURN key.t AS tenantId, key.d AS diagramId, d.applied_version AS applied`,
    params: {
      keys: [...keys]
        .sort((a, b) => compare(a.tenantId, b.tenantId) || compare(a.diagramId, b.diagramId))
        .map((k) => ({ t: k.tenantId, d: k.diagramId })),
    },
  };
}

/**
 * The statements that write `writes` (any diagrams, at most one write each), in order, each
 * left out when it has nothing to do; the last moves every written diagram's applied version.
 * Every row carries its tenant and diagram, so one batch is a handful of UNWINDs.
 */
export function writeStatements(labels: GraphLabels, writes: DiagramWrite[]): CypherStatement[] {
  const element = (alias: string, id: string) =>
    `(${alias}:${labels.element} {tenant_id: row.t, diagram_id: row.d, element_id: ${id}})`;
  // Without the hint the planner may seek the tenant index and filter every node of the tenant; a
  // plain INDEX hint also lets it scan the whole index (it did, planned on a new, empty label).
  const byKey = (alias: string) => `USING INDEX SEEK ${alias}:${labels.element}(tenant_id, diagram_id, element_id)`;
  const removedEdges: Row[] = [];
  const removedNodes: Row[] = [];
  const upserted: Row[] = [];
  const replaced: Row[] = [];
  const created: Row[] = [];
  const edges: Row[] = [];
  for (const w of writes) {
    const key = { t: w.tenantId, d: w.diagramId };
    if (w.kind === 'replace') {
      replaced.push(key);
      for (const n of w.graph.nodes.values())
        created.push({ ...key, id: n.elementId, labels: n.labels, properties: n.properties });
      for (const e of w.graph.edges.values()) edges.push({ ...key, ...edgeRow(e) });
      continue;
    }
    for (const e of w.diff.removedEdges) removedEdges.push({ ...key, ...edgeRow(e) });
    for (const id of w.diff.removedNodeIds) removedNodes.push({ ...key, id });
    for (const { node: n, removedLabels } of w.diff.upsertedNodes)
      upserted.push({ ...key, id: n.elementId, labels: n.labels, removedLabels, properties: n.properties });
    for (const e of w.diff.addedEdges) edges.push({ ...key, ...edgeRow(e) });
  }
  const statements: CypherStatement[] = [];
  const add = (rows: Row[], text: string) => {
    if (rows.length > 0) statements.push({ text: `UNWIND $rows AS row\n${text}`, params: { rows } });
  };
  add(
    replaced,
    `MATCH (n:${labels.element} {tenant_id: row.t, diagram_id: row.d})
USING INDEX SEEK n:${labels.element}(tenant_id, diagram_id)
DETACH DELETE n`,
  );
  add(
    removedEdges,
    `MATCH ${element('a', 'row.from')}-[r:$(row.kind)]->${element('b', 'row.to')}
${byKey('a')}
WHERE r.element_id IS NULL OR r.element_id = row.elementId
DELETE r`,
  );
  add(removedNodes, `MATCH ${element('n', 'row.id')}\n${byKey('n')}\nDETACH DELETE n`);
  add(
    upserted,
    `MERGE ${element('n', 'row.id')}
SET n += row.properties
REMOVE n:$(row.removedLabels)
SET n:$(row.labels)`,
  );
  add(created, `CREATE ${element('n', 'row.id')}\nSET n += row.properties, n:$(row.labels)`);
  add(
    edges,
    `MATCH ${element('a', 'row.from')}
${byKey('a')}
MATCH ${element('b', 'row.to')}
${byKey('b')}
CREATE (a)-[r:$(row.kind)]->(b)
SET r.element_id = row.elementId, r.name = row.name`,
  );
  add(
    writes.map((w) => ({ t: w.tenantId, d: w.diagramId, version: w.version })),
    `MATCH (d:${labels.diagram} {tenant_id: row.t, diagram_id: row.d})
SET d.applied_version = toInteger(row.version), d.updated_at = datetime()`,
  );
  return statements;
}

/** Drops a projection version's nodes, of one tenant or all, in batches (auto-commit statements). */
export function resetStatements(labels: GraphLabels, tenantId?: string): CypherStatement[] {
  const scope = tenantId === undefined ? '' : ' {tenant_id: $tenantId}';
  return [labels.element, labels.diagram].map((label) => ({
    text: `MATCH (n:${label}${scope})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`,
    params: tenantId === undefined ? {} : { tenantId },
  }));
}

type Row = Record<string, unknown>;

function edgeRow(edge: GraphEdge): Row {
  return { kind: edge.kind, from: edge.from, to: edge.to, elementId: edge.elementId, name: edge.name };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import neo4j, { type Driver } from 'neo4j-driver';
import {
  edgeKey,
  type DiagramGraph,
  type EdgeKind,
  type GraphEdge,
  type NodeProperty,
} from '../graph/diagram-graph.js';
import type { GraphLabels } from './graph-labels.js';

/** One diagram's subgraph as stored: what `verify` compares with the graph of the replayed diagram. */
export interface StoredGraphContent {
  /** The diagram node's applied version (0: no diagram node). */
  appliedVersion: number;
  nodes: Map<string, { labels: string[]; properties: Record<string, NodeProperty> }>;
  edges: Map<string, GraphEdge>;
}

/** Key properties every node carries besides its own; not part of the comparison. */
const KEY_PROPERTIES = ['tenant_id', 'diagram_id', 'element_id'];

export async function readGraphContent(
  driver: Driver,
  labels: GraphLabels,
  tenantId: string,
  diagramId: string,
): Promise<StoredGraphContent> {
  const params = { tenantId, diagramId };
  const read = { routing: neo4j.routing.READ };
  const diagram = await driver.executeQuery(
    `MATCH (d:${labels.diagram} {tenant_id: $tenantId, diagram_id: $diagramId}) RETURN d.applied_version AS v`,
    params,
    read,
  );
  const nodes = await driver.executeQuery(
    `MATCH (n:${labels.element} {tenant_id: $tenantId, diagram_id: $diagramId})
     RETURN n.element_id AS id, labels(n) AS labels, properties(n) AS properties`,
    params,
    read,
  );
  // Every relationship leaving the diagram's nodes, wherever it leads: one into another diagram is a difference too.
  const edges = await driver.executeQuery(
    `MATCH (a:${labels.element} {tenant_id: $tenantId, diagram_id: $diagramId})-[r]->(b)
     RETURN type(r) AS kind, a.element_id AS from, b.element_id AS to, b.tenant_id AS toTenant,
            b.diagram_id AS toDiagram, r.element_id AS elementId, r.name AS name`,
    params,
    read,
  );
  const content: StoredGraphContent = {
    appliedVersion: toNumber(diagram.records[0]?.get('v')),
    nodes: new Map(),
    edges: new Map(),
  };
  for (const r of nodes.records) {
    const properties: Record<string, NodeProperty> = {};
    for (const [k, v] of Object.entries(r.get('properties') as Record<string, NodeProperty>)) {
      if (!KEY_PROPERTIES.includes(k)) properties[k] = v;
    }
    const own = (r.get('labels') as string[]).filter((l) => l !== labels.element).sort();
    content.nodes.set(r.get('id') as string, { labels: own, properties });
  }
  for (const r of edges.records) {
    const outside = r.get('toTenant') !== tenantId || r.get('toDiagram') !== diagramId;
    const edge: GraphEdge = {
      kind: r.get('kind') as EdgeKind,
      from: r.get('from') as string,
      to: outside ? `${String(r.get('toTenant'))}/${String(r.get('toDiagram'))}/${String(r.get('to'))}` : r.get('to'),
      elementId: (r.get('elementId') as string | null) ?? null,
      name: (r.get('name') as string | null) ?? null,
    };
    content.edges.set(edgeKey(edge), edge);
  }
  return content;
}

/** What differs between the graph the replay gives and the stored one, one line each (at most `limit`). */
export function diffGraphContent(
  expected: DiagramGraph,
  expectedVersion: number,
  stored: StoredGraphContent,
  limit = 20,
): string[] {
  const out: string[] = [];
  if (stored.appliedVersion !== expectedVersion) {
    out.push(`diagram node: applied_version is ${stored.appliedVersion}, the replay is at ${expectedVersion}`);
  }
  for (const [id, node] of expected.nodes) {
    const s = stored.nodes.get(id);
    if (!s) {
      out.push(`node ${id}: missing`);
      continue;
    }
    if (s.labels.join(':') !== node.labels.join(':')) {
      out.push(`node ${id}: labels are :${s.labels.join(':')}, the replay gives :${node.labels.join(':')}`);
    }
    const keys = new Set([...Object.keys(node.properties), ...Object.keys(s.properties)]);
    for (const key of keys) {
      // Neo4j stores no nulls: a property set to null is an absent one.
      const want = node.properties[key] ?? null;
      const have = s.properties[key] ?? null;
      if (want !== have)
        out.push(`node ${id}: ${key} is ${JSON.stringify(have)}, the replay gives ${JSON.stringify(want)}`);
    }
  }
  for (const id of stored.nodes.keys())
    if (!expected.nodes.has(id)) out.push(`node ${id}: stored, but not in the replay`);
  for (const [key, edge] of expected.edges) {
    const s = stored.edges.get(key);
    if (!s) out.push(`relationship ${describe(edge)}: missing`);
    else if (s.from !== edge.from || s.to !== edge.to || s.name !== edge.name) {
      out.push(`relationship ${describe(s)}: stored so, the replay gives ${describe(edge)}`);
    }
  }
  for (const [key, edge] of stored.edges) {
    if (!expected.edges.has(key)) out.push(`relationship ${describe(edge)}: stored, but not in the replay`);
  }
  return out.length > limit ? [...out.slice(0, limit), `… and ${out.length - limit} more differences`] : out;
}

function describe(e: GraphEdge): string {
  const flow = e.elementId ? ` ${e.elementId}` : '';
  const name = e.name ? ` "${e.name}"` : '';
  return `(${e.from})-[:${e.kind}${flow}${name}]->(${e.to})`;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  return 0;
}

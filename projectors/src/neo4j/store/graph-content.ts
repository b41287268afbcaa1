import neo4j, { type Driver, type Record as Neo4jRecord } from 'neo4j-driver';
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
  /** Rows read: more than `nodes` / `edges` hold when element ids or relationships are duplicated. */
  rows: { nodes: number; edges: number };
}

/** Runs one read statement: a transaction's `run`, or the driver's `executeQuery` (see `readGraphContent`). */
export type GraphReader = (text: string, params: Record<string, unknown>) => Promise<{ records: Neo4jRecord[] }>;

/** Reads through the driver's `executeQuery`, each statement on its own (routed to readers when asked). */
export function driverReader(driver: Driver, routing?: 'read'): GraphReader {
  const config = routing === 'read' ? { routing: neo4j.routing.READ } : {};
  return (text, params) => driver.executeQuery(text, params, config);
}

/** Key properties every node carries besides its own; not part of the comparison. */
const KEY_PROPERTIES = ['tenant_id', 'diagram_id', 'element_id'];

export async function readGraphContent(
  driver: Driver,
  labels: GraphLabels,
  tenantId: string,
  diagramId: string,
): Promise<StoredGraphContent> {
  return (await readGraphContents(driverReader(driver, 'read'), labels, tenantId, [diagramId])).get(diagramId)!;
}

/** The stored subgraphs of some diagrams of a tenant, in three statements (every id gets an entry). */
export async function readGraphContents(
  read: GraphReader,
  labels: GraphLabels,
  tenantId: string,
  diagramIds: string[],
): Promise<Map<string, StoredGraphContent>> {
  const params = { tenantId, diagramIds };
  const scope = (alias: string, label: string) =>
    `UNWIND $diagramIds AS diagramId\nMATCH (${alias}:${label} {tenant_id: $tenantId, diagram_id: diagramId})`;
  // Asked at once: through `executeQuery` each statement has a session of its own, and a
  // transaction queues them (the server answers while the driver decodes the answer before).
  const [diagrams, nodes, edges] = await Promise.all([
    read(`${scope('d', labels.diagram)}\nRETURN diagramId, d.applied_version AS v`, params),
    read(
      `${scope('n', labels.element)}\nRETURN diagramId, n.element_id AS id, labels(n) AS labels, properties(n) AS properties`,
      params,
    ),
    // Every relationship leaving the diagram's nodes, wherever it leads: one into another diagram is a difference too.
    read(
      `${scope('a', labels.element)}-[r]->(b)
RETURN diagramId, type(r) AS kind, a.element_id AS from, b.element_id AS to, b.tenant_id AS toTenant,
       b.diagram_id AS toDiagram, r.element_id AS elementId, r.name AS name`,
      params,
    ),
  ]);
  const contents = new Map<string, StoredGraphContent>();
  for (const id of diagramIds) contents.set(id, emptyGraphContent());
  const of = (r: Neo4jRecord) => contents.get(r.get('diagramId') as string)!;
  for (const r of diagrams.records) of(r).appliedVersion = toNumber(r.get('v'));
  for (const r of nodes.records) {
    const properties: Record<string, NodeProperty> = {};
    for (const [k, v] of Object.entries(r.get('properties') as Record<string, NodeProperty>)) {
      if (!KEY_PROPERTIES.includes(k)) properties[k] = v;
    }
    const own = (r.get('labels') as string[]).filter((l) => l !== labels.element).sort();
    const content = of(r);
    content.nodes.set(r.get('id') as string, { labels: own, properties });
    content.rows.nodes++;
  }
  for (const r of edges.records) {
    const diagramId = r.get('diagramId') as string;
    const outside = r.get('toTenant') !== tenantId || r.get('toDiagram') !== diagramId;
    const edge: GraphEdge = {
      kind: r.get('kind') as EdgeKind,
      from: r.get('from') as string,
      to: outside ? `${String(r.get('toTenant'))}/${String(r.get('toDiagram'))}/${String(r.get('to'))}` : r.get('to'),
      elementId: (r.get('elementId') as string | null) ?? null,
      name: (r.get('name') as string | null) ?? null,
    };
    const content = of(r);
    content.edges.set(edgeKey(edge), edge);
    content.rows.edges++;
  }
  return contents;
}

/** What a diagram with no stored nodes has stored. */
export function emptyGraphContent(): StoredGraphContent {
  return { appliedVersion: 0, nodes: new Map(), edges: new Map(), rows: { nodes: 0, edges: 0 } };
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
  const repeatedNodes = stored.rows.nodes - stored.nodes.size;
  if (repeatedNodes > 0) out.push(`${repeatedNodes} node row(s) repeat an element id`);
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
  const repeatedEdges = stored.rows.edges - stored.edges.size;
  if (repeatedEdges > 0) out.push(`${repeatedEdges} relationship row(s) repeat another`);
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

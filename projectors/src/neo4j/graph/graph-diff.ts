import type { DiagramGraph, GraphEdge, GraphNode } from './diagram-graph.js';

/** A node to create or update, with the labels it must lose (after a replaceElement). */
export interface NodeUpsert {
  node: GraphNode;
  removedLabels: string[];
}

/** What turns the graph `before` into `after`; applying it in this order is always valid. */
export interface GraphDiff {
  /** Edges that go away while both their ends stay (edges of removed nodes go with them). */
  removedEdges: GraphEdge[];
  removedNodeIds: string[];
  upsertedNodes: NodeUpsert[];
  /** New edges, and flows whose ends or name changed (removed above, then created again). */
  addedEdges: GraphEdge[];
}

/** The difference between two graphs of one diagram (pure): only what changed is written. */
export function diffGraphs(before: DiagramGraph, after: DiagramGraph): GraphDiff {
  const diff: GraphDiff = { removedEdges: [], removedNodeIds: [], upsertedNodes: [], addedEdges: [] };
  for (const id of before.nodes.keys()) if (!after.nodes.has(id)) diff.removedNodeIds.push(id);
  for (const [id, node] of after.nodes) {
    const previous = before.nodes.get(id);
    if (!previous) diff.upsertedNodes.push({ node, removedLabels: [] });
    else if (!sameNode(previous, node)) {
      diff.upsertedNodes.push({ node, removedLabels: previous.labels.filter((l) => !node.labels.includes(l)) });
    }
  }
  const removedNodes = new Set(diff.removedNodeIds);
  for (const [key, edge] of before.edges) {
    const next = after.edges.get(key);
    if (next && sameEdge(edge, next)) continue;
    if (!removedNodes.has(edge.from) && !removedNodes.has(edge.to)) diff.removedEdges.push(edge);
  }
  for (const [key, edge] of after.edges) {
    const previous = before.edges.get(key);
    if (!previous || !sameEdge(previous, edge)) diff.addedEdges.push(edge);
  }
  return diff;
}

export function isEmptyDiff(diff: GraphDiff): boolean {
  return (
    diff.removedEdges.length === 0 &&
    diff.removedNodeIds.length === 0 &&
    diff.upsertedNodes.length === 0 &&
    diff.addedEdges.length === 0
  );
}

function sameNode(a: GraphNode, b: GraphNode): boolean {
  if (a.labels.length !== b.labels.length || a.labels.some((l, i) => l !== b.labels[i])) return false;
  const keys = new Set([...Object.keys(a.properties), ...Object.keys(b.properties)]);
  for (const key of keys) if ((a.properties[key] ?? null) !== (b.properties[key] ?? null)) return false;
  return true;
}

function sameEdge(a: GraphEdge, b: GraphEdge): boolean {
  return a.kind === b.kind && a.from === b.from && a.to === b.to && a.elementId === b.elementId && a.name === b.name;
}

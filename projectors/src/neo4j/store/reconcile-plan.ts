import type { DiagramGraph, GraphNode } from '../graph/diagram-graph.js';
import { diffGraphs, isEmptyDiff } from '../graph/graph-diff.js';
import type { StoredGraphContent } from './graph-content.js';
import type { DiagramWrite } from './graph-writes.js';

/** A diagram's graph as a rebuild replayed it: the graph after its last event. */
export interface BuiltDiagram {
  diagramId: string;
  version: number;
  graph: DiagramGraph;
}

/** What a tenant rebuild does to one diagram's serving subgraph. */
export type ReconcileOutcome = 'unchanged' | 'diff' | 'replaced' | 'deleted';

export type ReconcileStep =
  { outcome: 'unchanged' } | { outcome: 'deleted' } | { outcome: 'diff' | 'replaced'; write: DiagramWrite };

/**
 * How to turn the stored subgraph of a diagram into the rebuilt one (pure). A diff when the stored
 * subgraph can be described as a graph — each element id once, each relationship once, all of
 * them between the diagram's own nodes — else a replacement of the subgraph; nothing when it
 * already is the rebuilt graph at the rebuilt version; a deletion when the rebuild has no such
 * diagram. The diff also clears properties the rebuilt node lacks (`SET +=` would keep them).
 */
export function planReconcile(
  tenantId: string,
  built: BuiltDiagram | undefined,
  stored: StoredGraphContent,
): ReconcileStep {
  if (!built) return { outcome: 'deleted' };
  const key = { tenantId, diagramId: built.diagramId, version: built.version };
  const before = asGraph(stored);
  if (!before) return { outcome: 'replaced', write: { ...key, kind: 'replace', graph: built.graph } };
  const diff = diffGraphs(before, built.graph);
  if (isEmptyDiff(diff) && stored.appliedVersion === built.version) return { outcome: 'unchanged' };
  diff.upsertedNodes = diff.upsertedNodes.map(({ node, removedLabels }) => ({
    node: withClearedProperties(node, before.nodes.get(node.elementId)),
    removedLabels,
  }));
  return { outcome: 'diff', write: { ...key, kind: 'diff', diff } };
}

/** The stored subgraph as a `DiagramGraph`, or undefined when it is damaged beyond a diff. */
function asGraph(stored: StoredGraphContent): DiagramGraph | undefined {
  if (stored.rows.nodes !== stored.nodes.size || stored.rows.edges !== stored.edges.size) return undefined;
  const graph: DiagramGraph = { nodes: new Map(), edges: stored.edges };
  for (const [elementId, { labels, properties }] of stored.nodes) {
    if (typeof elementId !== 'string') return undefined;
    graph.nodes.set(elementId, { elementId, labels, properties });
  }
  for (const edge of stored.edges.values()) {
    if (!graph.nodes.has(edge.from) || !graph.nodes.has(edge.to)) return undefined;
  }
  return graph;
}

function withClearedProperties(node: GraphNode, previous: GraphNode | undefined): GraphNode {
  const extra = Object.keys(previous?.properties ?? {}).filter((k) => !(k in node.properties));
  if (extra.length === 0) return node;
  return { ...node, properties: { ...Object.fromEntries(extra.map((k) => [k, null])), ...node.properties } };
}

/** Diagram ids, in order, grouped into steps of at most `maxNodes` nodes (a larger diagram alone). */
export function inSteps(diagrams: [string, number][], maxNodes: number): string[][] {
  const steps: string[][] = [];
  let step: string[] = [];
  let nodes = 0;
  for (const [id, size] of diagrams) {
    if (step.length > 0 && nodes + size > maxNodes) {
      steps.push(step);
      step = [];
      nodes = 0;
    }
    step.push(id);
    nodes += size;
  }
  if (step.length > 0) steps.push(step);
  return steps;
}

import { describe, expect, it } from 'vitest';
import type { DiagramGraph, GraphEdge } from '../graph/diagram-graph.js';
import { diffGraphContent, type StoredGraphContent } from './graph-content.js';

const flow: GraphEdge = { kind: 'SEQUENCE_FLOW', from: 'A', to: 'B', elementId: 'F', name: null };
const expected: DiagramGraph = {
  nodes: new Map([
    ['A', { elementId: 'A', labels: ['Activity', 'FlowNode', 'Task'], properties: { type: 'bpmn:Task', name: 'A' } }],
    ['B', { elementId: 'B', labels: ['Activity', 'FlowNode', 'Task'], properties: { type: 'bpmn:Task', name: null } }],
  ]),
  edges: new Map([['SEQUENCE_FLOW|F', flow]]),
};
const stored = (): StoredGraphContent => ({
  appliedVersion: 3,
  nodes: new Map<string, StoredGraphContent['nodes'] extends Map<string, infer N> ? N : never>([
    ['A', { labels: ['Activity', 'FlowNode', 'Task'], properties: { type: 'bpmn:Task', name: 'A' } }],
    // Neo4j stores no nulls: B has no name property at all.
    ['B', { labels: ['Activity', 'FlowNode', 'Task'], properties: { type: 'bpmn:Task' } }],
  ]),
  edges: new Map([['SEQUENCE_FLOW|F', { ...flow }]]),
  rows: { nodes: 2, edges: 1 },
});

describe('diffGraphContent', () => {
  it('finds nothing when the stored subgraph is the replay’s', () => {
    expect(diffGraphContent(expected, 3, stored())).toEqual([]);
  });

  it('names the node and property, a missing node, an extra relationship and a lagging diagram node', () => {
    const s = stored();
    s.appliedVersion = 2;
    s.nodes.get('A')!.properties.name = 'tampered';
    s.nodes.delete('B');
    s.edges.set('MESSAGE_FLOW|M', { kind: 'MESSAGE_FLOW', from: 'A', to: 'x/y/Z', elementId: 'M', name: null });
    s.rows = { nodes: 1, edges: 2 };

    expect(diffGraphContent(expected, 3, s)).toEqual([
      'diagram node: applied_version is 2, the replay is at 3',
      'node A: name is "tampered", the replay gives "A"',
      'node B: missing',
      'relationship (A)-[:MESSAGE_FLOW M]->(x/y/Z): stored, but not in the replay',
    ]);
  });

  it('counts element ids and relationships stored more than once', () => {
    const s = stored();
    s.rows = { nodes: 3, edges: 3 };

    expect(diffGraphContent(expected, 3, s)).toEqual([
      '1 node row(s) repeat an element id',
      '2 relationship row(s) repeat another',
    ]);
  });
});

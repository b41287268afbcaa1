import { describe, expect, it } from 'vitest';
import type { DiagramGraph, GraphEdge } from '../graph/diagram-graph.js';
import type { StoredGraphContent } from './graph-content.js';
import { inSteps, planReconcile, type BuiltDiagram } from './reconcile-plan.js';

const flow: GraphEdge = { kind: 'SEQUENCE_FLOW', from: 'A', to: 'B', elementId: 'F', name: null };
const task = (id: string, name: string) => ({
  elementId: id,
  labels: ['Activity', 'FlowNode', 'Task'],
  properties: { type: 'bpmn:Task', name },
});
const graph: DiagramGraph = {
  nodes: new Map([
    ['A', task('A', 'a')],
    ['B', task('B', 'b')],
  ]),
  edges: new Map([['SEQUENCE_FLOW|F', flow]]),
};
const built: BuiltDiagram = { diagramId: 'd', version: 4, graph };
const stored = (): StoredGraphContent => ({
  appliedVersion: 4,
  nodes: new Map([
    ['A', { labels: ['Activity', 'FlowNode', 'Task'], properties: { type: 'bpmn:Task', name: 'a' } }],
    ['B', { labels: ['Activity', 'FlowNode', 'Task'], properties: { type: 'bpmn:Task', name: 'b' } }],
  ]),
  edges: new Map([['SEQUENCE_FLOW|F', { ...flow }]]),
  rows: { nodes: 2, edges: 1 },
});

describe('planReconcile', () => {
  it('leaves a stored subgraph alone when it is the rebuilt graph at the rebuilt version', () => {
    expect(planReconcile('t', built, stored())).toEqual({ outcome: 'unchanged' });
  });

  it('diffs a changed property, clearing one the rebuilt node lacks, and moves a lagging version', () => {
    const s = stored();
    s.appliedVersion = 3;
    s.nodes.get('A')!.properties = { type: 'bpmn:Task', name: 'stale', extra: 'x' };

    const step = planReconcile('t', built, s);

    expect(step.outcome).toBe('diff');
    const write = (step as { write: { kind: string; version: number; diff: { upsertedNodes: unknown[] } } }).write;
    expect(write).toMatchObject({ kind: 'diff', version: 4, tenantId: 't', diagramId: 'd' });
    expect(write.diff.upsertedNodes).toEqual([
      { node: { ...task('A', 'a'), properties: { extra: null, type: 'bpmn:Task', name: 'a' } }, removedLabels: [] },
    ]);
    s.nodes.get('A')!.properties = { type: 'bpmn:Task', name: 'a' };
    expect(planReconcile('t', built, s)).toMatchObject({
      outcome: 'diff',
      write: { diff: { upsertedNodes: [], removedNodeIds: [], addedEdges: [], removedEdges: [] } },
    });
  });

  it('replaces a subgraph with a repeated row or a relationship leaving the diagram, deletes one the rebuild lacks', () => {
    const twice = stored();
    twice.rows.nodes = 3;
    const crossing = stored();
    crossing.edges.set('SEQUENCE_FLOW|X', { ...flow, elementId: 'X', to: 'other/d2/A' });
    crossing.rows.edges = 2;

    expect(planReconcile('t', built, twice)).toMatchObject({ outcome: 'replaced', write: { kind: 'replace', graph } });
    expect(planReconcile('t', built, crossing)).toMatchObject({ outcome: 'replaced' });
    expect(planReconcile('t', undefined, stored())).toEqual({ outcome: 'deleted' });
  });
});

describe('inSteps', () => {
  it('groups diagrams in order up to the node bound, a larger diagram alone', () => {
    const diagrams: [string, number][] = [
      ['a', 3],
      ['b', 4],
      ['c', 12],
      ['d', 5],
      ['e', 5],
    ];
    expect(inSteps(diagrams, 10)).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
    expect(inSteps(diagrams, 1_000)).toEqual([['a', 'b', 'c', 'd', 'e']]);
    expect(inSteps([], 10)).toEqual([]);
  });
});

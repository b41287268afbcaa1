import { describe, expect, it } from 'vitest';
import { graphLabels, tenantBuildLabels } from './graph-labels.js';
import { switchStepStatements, switchSteps } from './tenant-switch.js';

describe('switchSteps', () => {
  it('groups diagrams in order up to the node bound, a larger diagram alone', () => {
    const diagrams = [
      { diagramId: 'a', nodes: 3 },
      { diagramId: 'b', nodes: 4 },
      { diagramId: 'c', nodes: 12 },
      { diagramId: 'd', nodes: 5 },
      { diagramId: 'e', nodes: 5 },
    ];
    expect(switchSteps(diagrams, 10)).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
    expect(switchSteps(diagrams, 1_000)).toEqual([['a', 'b', 'c', 'd', 'e']]);
    expect(switchSteps([], 10)).toEqual([]);
  });
});

describe('switchStepStatements', () => {
  it('deletes the serving nodes of the step before relabelling the built ones into their place', () => {
    const statements = switchStepStatements(graphLabels(3), tenantBuildLabels(3), 't', ['d1']);
    expect(statements.map((s) => s.text.split('\n').slice(1).join(' '))).toEqual([
      'MATCH (n:Bpmn_v3 {tenant_id: $tenantId, diagram_id: diagramId}) DETACH DELETE n',
      'MATCH (n:BpmnDiagram_v3 {tenant_id: $tenantId, diagram_id: diagramId}) DETACH DELETE n',
      'MATCH (n:Bpmn_v3_build {tenant_id: $tenantId, diagram_id: diagramId}) REMOVE n:Bpmn_v3_build SET n:Bpmn_v3',
      'MATCH (n:BpmnDiagram_v3_build {tenant_id: $tenantId, diagram_id: diagramId}) REMOVE n:BpmnDiagram_v3_build SET n:BpmnDiagram_v3',
    ]);
    expect(statements[0]!.params).toEqual({ tenantId: 't', diagramIds: ['d1'] });
  });
});

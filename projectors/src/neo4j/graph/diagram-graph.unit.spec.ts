import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPERATION_LIMITS, applyOperations, parseDiagram } from '@flowledger/bpmn-operations';
import { diagramGraph, type DiagramGraph } from './diagram-graph.js';
import { diffGraphs } from './graph-diff.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const graphOf = async (name: string) => diagramGraph(await parseDiagram(fixture(name)));
const edges = (g: DiagramGraph, kind: string) =>
  [...g.edges.values()]
    .filter((e) => e.kind === kind)
    .map((e) => `${e.elementId ?? ''}:${e.from}->${e.to}`)
    .sort();

describe('diagramGraph', () => {
  it('labels flow nodes by their type and its BPMN kinds', async () => {
    const g = await graphOf('process.bpmn');

    expect(g.nodes.get('Check')!.labels).toEqual(['Activity', 'FlowNode', 'Task', 'UserTask']);
    expect(g.nodes.get('Start')!.labels).toEqual(['CatchEvent', 'Event', 'FlowNode', 'StartEvent']);
    expect(g.nodes.get('Ok')!.labels).toEqual(['ExclusiveGateway', 'FlowNode', 'Gateway']);
    expect(g.nodes.get('Sub')!.labels).toEqual(['Activity', 'FlowNode', 'SubProcess']);
    expect(g.nodes.get('P')!.labels).toEqual(['Process']);
    expect(g.nodes.get('Check')!.properties).toMatchObject({ type: 'bpmn:UserTask', name: 'Check order' });
  });

  it('makes sequence flows relationships with their id and name, and containment edges', async () => {
    const g = await graphOf('process.bpmn');

    expect(edges(g, 'SEQUENCE_FLOW')).toEqual([
      'F1:Start->Check',
      'F2:Check->Ok',
      'F4:Ship->Sub',
      'F5:Sub->End',
      'F6:Timeout->TimedOut',
      'SubFlow:SubStart->SubTask',
      'ToShip:Ok->Ship',
    ]);
    expect(g.edges.get('SEQUENCE_FLOW|ToShip')!.name).toBe('yes');
    expect(edges(g, 'CONTAINS')).toContain(':P->Sub');
    expect(edges(g, 'CONTAINS')).toContain(':Sub->SubTask');
    expect(edges(g, 'CONTAINS')).not.toContain(':P->SubTask');
    expect(edges(g, 'ATTACHED_TO')).toEqual([':Timeout->Check']);
  });

  it('turns a flow with a missing end into a DanglingFlow node', async () => {
    const g = await graphOf('process.bpmn');

    expect(g.nodes.get('Broken')).toEqual({
      elementId: 'Broken',
      labels: ['DanglingFlow'],
      properties: { type: 'bpmn:SequenceFlow', name: null, missing: 'target', source_id: 'Ship', target_id: null },
    });
    expect(g.edges.has('SEQUENCE_FLOW|Broken')).toBe(false);
  });

  it('marks start and boundary events, and nodes of a start-less container without incoming flow, as entry points', async () => {
    const g = await graphOf('process.bpmn');
    const entries = [...g.nodes.values()].filter((n) => n.properties.entry_point).map((n) => n.elementId);

    expect(entries.sort()).toEqual(['Start', 'SubStart', 'Timeout']);
  });

  it('puts pools over their processes, message flows between pools and nodes, nodes in lanes', async () => {
    const g = await graphOf('collaboration.bpmn');

    expect(edges(g, 'MESSAGE_FLOW')).toEqual(['Invoice:Bill->Customer', 'Order:Send->Shop']);
    expect(edges(g, 'CONTAINS')).toEqual(
      expect.arrayContaining([':Collab->Customer', ':Customer->PC', ':Shop->PS', ':PS->Sales', ':Billing->Accounts']),
    );
    expect(edges(g, 'IN_LANE')).toEqual([':Bill->Accounts', ':Bill->Billing', ':SStart->Sales']);
  });
});

describe('diffGraphs', () => {
  it('of a rename is one node update; of a replace, the old labels go', async () => {
    const diagram = await parseDiagram(fixture('process.bpmn'));
    const before = diagramGraph(diagram);

    await applyOperations(
      diagram,
      [
        { kind: 'updateProperties', elementId: 'Ship', properties: { name: 'Ship it' } },
        { kind: 'replaceElement', elementId: 'Check', newType: 'bpmn:ServiceTask' },
      ],
      { version: 2, limits: DEFAULT_OPERATION_LIMITS },
    );
    const diff = diffGraphs(before, diagramGraph(diagram));

    expect(diff.removedNodeIds).toEqual([]);
    expect(diff.removedEdges).toEqual([]);
    expect(diff.addedEdges).toEqual([]);
    expect(diff.upsertedNodes.map((u) => [u.node.elementId, u.removedLabels])).toEqual([
      ['Check', ['UserTask']],
      ['Ship', []],
    ]);
  });

  it('of a delete removes the node (its edges go with DETACH DELETE); flows still naming it turn dangling', async () => {
    const diagram = await parseDiagram(fixture('process.bpmn'));
    const before = diagramGraph(diagram);

    // A diagram from elsewhere whose flows name a node that is gone (deleteElements would take
    // the flows with it): remove the node from the model by hand.
    const ship = diagram.elementsById.get('Ship')!;
    const flowElements = ship.$parent!.flowElements as unknown[];
    flowElements.splice(flowElements.indexOf(ship), 1);
    diagram.elementsById.delete('Ship');
    const diff = diffGraphs(before, diagramGraph(diagram));

    expect(diff.removedNodeIds).toEqual(['Ship']);
    expect(diff.removedEdges).toEqual([]);
    expect(diff.upsertedNodes.map((u) => [u.node.elementId, u.node.properties.missing])).toEqual([
      ['ToShip', 'target'],
      ['F4', 'source'],
      ['Broken', 'both'],
    ]);
    expect(diff.addedEdges.map((e) => `${e.kind}:${e.from}->${e.to}`)).toEqual([
      'CONTAINS:P->ToShip',
      'CONTAINS:P->F4',
    ]);
  });

  it('of an unchanged diagram is empty', async () => {
    const g = await graphOf('collaboration.bpmn');

    expect(diffGraphs(g, await graphOf('collaboration.bpmn'))).toEqual({
      removedEdges: [],
      removedNodeIds: [],
      upsertedNodes: [],
      addedEdges: [],
    });
  });
});

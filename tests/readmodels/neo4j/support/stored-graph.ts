import neo4j, { type Driver } from 'neo4j-driver';
import type { GraphLabels } from '../../../../projectors/src/neo4j/index.js';
import { testLabels } from './neo4j-read-model.js';
import { parseDiagram, semanticSummary } from '@flowledger/bpmn-operations';

/**
 * A diagram's graph reduced to what two sides can be compared on: flow nodes with their
 * types, sequence and message flows with their ends, and the containers. `expectedGraph`
 * derives it from BPMN XML with the operations library's semanticSummary (not with the
 * projector's code); `storedGraph` reads it from Neo4j.
 */
export interface ComparableGraph {
  flowNodes: string[];
  sequenceFlows: string[];
  messageFlows: string[];
  containers: string[];
  danglingFlows: string[];
}

/** Concrete BPMN 2.0 flow node types (bpmn:FlowNode's subtypes), written out independently of the projector. */
const FLOW_NODE_TYPES = new Set(
  [
    'Task',
    'UserTask',
    'ServiceTask',
    'SendTask',
    'ReceiveTask',
    'ManualTask',
    'BusinessRuleTask',
    'ScriptTask',
    'CallActivity',
    'SubProcess',
    'AdHocSubProcess',
    'Transaction',
    'StartEvent',
    'EndEvent',
    'IntermediateCatchEvent',
    'IntermediateThrowEvent',
    'BoundaryEvent',
    'ImplicitThrowEvent',
    'ExclusiveGateway',
    'InclusiveGateway',
    'ParallelGateway',
    'ComplexGateway',
    'EventBasedGateway',
    'ChoreographyTask',
    'SubChoreography',
    'CallChoreography',
  ].map((t) => `bpmn:${t}`),
);
const CONTAINER_TYPES = new Set(['bpmn:Process', 'bpmn:Collaboration', 'bpmn:Participant', 'bpmn:Lane']);

export async function expectedGraph(xml: string): Promise<ComparableGraph> {
  const summary = semanticSummary(await parseDiagram(xml));
  const nodeIds = new Set(
    summary.elements.filter((e) => FLOW_NODE_TYPES.has(e.type) || CONTAINER_TYPES.has(e.type)).map((e) => e.id),
  );
  const flows = (type: string, complete: boolean) =>
    summary.connections
      .filter((c) => c.type === type)
      .filter((c) => complete === (nodeIds.has(c.source ?? '') && nodeIds.has(c.target ?? '')))
      .map((c) => (complete ? `${c.id}:${c.source}->${c.target}` : c.id))
      .sort();
  return {
    flowNodes: summary.elements
      .filter((e) => FLOW_NODE_TYPES.has(e.type))
      .map((e) => `${e.id}:${e.type}`)
      .sort(),
    sequenceFlows: flows('bpmn:SequenceFlow', true),
    messageFlows: flows('bpmn:MessageFlow', true),
    containers: summary.elements
      .filter((e) => CONTAINER_TYPES.has(e.type))
      .map((e) => `${e.id}:${e.type}`)
      .sort(),
    danglingFlows: [...flows('bpmn:SequenceFlow', false), ...flows('bpmn:MessageFlow', false)].sort(),
  };
}

/** The graph of one diagram under `labels` (default: the tests' own projection version). */
export async function storedGraph(
  driver: Driver,
  tenantId: string,
  diagramId: string,
  labels: GraphLabels = testLabels,
): Promise<ComparableGraph> {
  const rows = async (cypher: string) => {
    const { records } = await driver.executeQuery(
      cypher,
      { t: tenantId, d: diagramId },
      { routing: neo4j.routing.READ },
    );
    return records.map((r) => r.get('x') as string).sort();
  };
  const scope = '{tenant_id: $t, diagram_id: $d}';
  const L = labels.element;
  return {
    flowNodes: await rows(`MATCH (n:${L}:FlowNode ${scope}) RETURN n.element_id + ':' + n.type AS x`),
    sequenceFlows: await rows(
      `MATCH (a:${L} ${scope})-[f:SEQUENCE_FLOW]->(b) RETURN f.element_id + ':' + a.element_id + '->' + b.element_id AS x`,
    ),
    messageFlows: await rows(
      `MATCH (a:${L} ${scope})-[f:MESSAGE_FLOW]->(b) RETURN f.element_id + ':' + a.element_id + '->' + b.element_id AS x`,
    ),
    containers: await rows(
      `MATCH (n:${L} ${scope}) WHERE n:Process OR n:Collaboration OR n:Participant OR n:Lane RETURN n.element_id + ':' + n.type AS x`,
    ),
    danglingFlows: await rows(`MATCH (n:${L}:DanglingFlow ${scope}) RETURN n.element_id AS x`),
  };
}

/** Flow nodes that are not contained exactly once (each has one process or sub-process). */
export async function wronglyContained(
  driver: Driver,
  tenantId: string,
  diagramId: string,
  labels: GraphLabels = testLabels,
): Promise<string[]> {
  const L = labels.element;
  const { records } = await driver.executeQuery(
    `MATCH (n:${L}:FlowNode {tenant_id: $t, diagram_id: $d})
     WHERE COUNT { (:${L})-[:CONTAINS]->(n) } <> 1 RETURN n.element_id AS x`,
    { t: tenantId, d: diagramId },
  );
  return records.map((r) => r.get('x') as string);
}

import type { Diagram } from '@flowledger/bpmn-operations';

/** A moddle element, as far as the graph needs one (bpmn-moddle ships no types). */
interface Element {
  readonly $type: string;
  $parent?: Element;
  $instanceOf(type: string): boolean;
  [property: string]: unknown;
}

export type NodeProperty = string | boolean | null;

/** One graph node: a flow node, a container (process, collaboration, pool, lane) or a flow that lost an end. */
export interface GraphNode {
  elementId: string;
  /** Sorted; e.g. `['Activity', 'FlowNode', 'Task', 'UserTask']`. The version label is added by the writer. */
  labels: string[];
  /** Stored as node properties besides the key; `null` removes one. */
  properties: Record<string, NodeProperty>;
}

export type EdgeKind = 'SEQUENCE_FLOW' | 'MESSAGE_FLOW' | 'CONTAINS' | 'IN_LANE' | 'ATTACHED_TO';

/** A relationship between two graph nodes; flows carry their element id and name. */
export interface GraphEdge {
  kind: EdgeKind;
  from: string;
  to: string;
  /** The flow's id for SEQUENCE_FLOW / MESSAGE_FLOW, null for structural edges. */
  elementId: string | null;
  name: string | null;
}

/** The graph of one diagram, keyed for diffing: nodes by element id, edges by `edgeKey`. */
export interface DiagramGraph {
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
}

/** Flows are identified by their id (their ends may change); structural edges by their ends. */
export function edgeKey(edge: GraphEdge): string {
  return edge.elementId !== null ? `${edge.kind}|${edge.elementId}` : `${edge.kind}|${edge.from}|${edge.to}`;
}

/**
 * The graph read model of a diagram (pure): flow nodes labelled by type, processes,
 * collaborations, pools and lanes; SEQUENCE_FLOW and MESSAGE_FLOW between their ends; CONTAINS
 * from each container to what it holds; IN_LANE from a flow node to each lane referencing it;
 * ATTACHED_TO from a boundary event to its activity. A flow whose source or target is missing
 * (or is not a graph node) cannot be a relationship, so it becomes a `DanglingFlow` node.
 * Associations, data and artifacts are not part of the graph.
 */
export function diagramGraph(diagram: Diagram): DiagramGraph {
  const graph: DiagramGraph = { nodes: new Map(), edges: new Map() };
  const nodes: Element[] = [];
  const flows: Element[] = [];
  for (const element of diagram.elementsById.values() as Iterable<unknown> as Iterable<Element>) {
    const kind = kindOf(element);
    if (kind.flow) flows.push(element);
    else if (kind.labels) {
      nodes.push(element);
      addNode(graph, element, kind.labels);
    }
  }
  for (const element of nodes) addStructure(graph, element);
  for (const flow of flows) addFlow(graph, flow);
  markEntryPoints(graph, nodes);
  return graph;
}

/** Concrete type → its labels: the type's own name plus the abstract BPMN kinds it belongs to. */
export const KIND_LABELS = [
  'FlowNode',
  'Activity',
  'Task',
  'SubProcess',
  'Event',
  'CatchEvent',
  'ThrowEvent',
  'Gateway',
];

function addNode(graph: DiagramGraph, element: Element, labels: string[]): void {
  const type = element.$type;
  const properties: Record<string, NodeProperty> = {
    type,
    name: (element.name as string | undefined) ?? null,
    entry_point: false,
    exempt_from_flows: false,
  };
  if (isA(element, 'bpmn:SubProcess')) properties.triggered_by_event = element.triggeredByEvent === true;
  graph.nodes.set(id(element), { elementId: id(element), labels, properties });
}

/** Containment, lanes and boundary attachment of a graph node. */
function addStructure(graph: DiagramGraph, element: Element): void {
  const elementId = id(element);
  const container = containerOf(element);
  if (container && graph.nodes.has(id(container))) addEdge(graph, 'CONTAINS', id(container), elementId);
  if (isA(element, 'bpmn:Participant')) {
    const process = element.processRef as Element | undefined;
    if (process && graph.nodes.has(id(process))) addEdge(graph, 'CONTAINS', elementId, id(process));
  }
  if (isA(element, 'bpmn:Lane')) {
    for (const member of (element.flowNodeRef ?? []) as Element[]) {
      if (graph.nodes.has(id(member))) addEdge(graph, 'IN_LANE', id(member), elementId);
    }
  }
  if (isA(element, 'bpmn:BoundaryEvent')) {
    const activity = element.attachedToRef as Element | undefined;
    if (activity && graph.nodes.has(id(activity))) addEdge(graph, 'ATTACHED_TO', elementId, id(activity));
  }
}

function addFlow(graph: DiagramGraph, flow: Element): void {
  const kind: EdgeKind = isA(flow, 'bpmn:SequenceFlow') ? 'SEQUENCE_FLOW' : 'MESSAGE_FLOW';
  const source = flow.sourceRef as Element | undefined;
  const target = flow.targetRef as Element | undefined;
  const sourceOk = source !== undefined && graph.nodes.has(id(source));
  const targetOk = target !== undefined && graph.nodes.has(id(target));
  const name = (flow.name as string | undefined) ?? null;
  if (sourceOk && targetOk) {
    const edge: GraphEdge = { kind, from: id(source), to: id(target), elementId: id(flow), name };
    graph.edges.set(edgeKey(edge), edge);
    return;
  }
  const missing = !sourceOk && !targetOk ? 'both' : sourceOk ? 'target' : 'source';
  graph.nodes.set(id(flow), {
    elementId: id(flow),
    labels: ['DanglingFlow'],
    properties: {
      type: flow.$type,
      name,
      missing,
      source_id: source ? id(source) : null,
      target_id: target ? id(target) : null,
    },
  });
  const container = containerOf(flow);
  if (container && graph.nodes.has(id(container))) addEdge(graph, 'CONTAINS', id(container), id(flow));
}

/**
 * Where a path may start without an incoming sequence flow (what "unreachable" is measured
 * from): start events, boundary events, event sub-processes, compensation handlers, the content
 * of ad-hoc sub-processes, and — in a process or sub-process without any start event, where
 * BPMN instantiates every node without incoming flow — those nodes. The last three kinds are
 * also exempt from needing any sequence flow at all (`exempt_from_flows`).
 */
function markEntryPoints(graph: DiagramGraph, nodes: Element[]): void {
  const withIncoming = new Set<string>();
  for (const edge of graph.edges.values()) if (edge.kind === 'SEQUENCE_FLOW') withIncoming.add(edge.to);
  const containersWithStart = new Set<string>();
  for (const element of nodes) {
    if (element.$type === 'bpmn:StartEvent') {
      const container = containerOf(element);
      if (container) containersWithStart.add(id(container));
    }
  }
  for (const element of nodes) {
    const node = graph.nodes.get(id(element))!;
    if (!node.labels.includes('FlowNode')) continue;
    const container = containerOf(element);
    const exempt =
      element.triggeredByEvent === true ||
      element.isForCompensation === true ||
      container?.$type === 'bpmn:AdHocSubProcess';
    const implicitStart =
      container !== undefined && !containersWithStart.has(id(container)) && !withIncoming.has(id(element));
    node.properties.exempt_from_flows = exempt;
    node.properties.entry_point =
      exempt || implicitStart || element.$type === 'bpmn:StartEvent' || element.$type === 'bpmn:BoundaryEvent';
  }
}

/** What the graph makes of a type: a flow, a node (with its labels), or nothing. */
interface Kind {
  flow: boolean;
  labels: string[] | null;
}

const GRAPH_NODE_TYPES = ['bpmn:FlowNode', 'bpmn:Process', 'bpmn:Collaboration', 'bpmn:Participant', 'bpmn:Lane'];

// $instanceOf walks the meta-model each time; a diagram has few types and many elements.
const kinds = new Map<string, Kind>();

function kindOf(element: Element): Kind {
  let kind = kinds.get(element.$type);
  if (kind) return kind;
  const bpmn = element.$type.startsWith('bpmn:');
  const flow = bpmn && (element.$instanceOf('bpmn:SequenceFlow') || element.$instanceOf('bpmn:MessageFlow'));
  let labels: string[] | null = null;
  if (bpmn && !flow && GRAPH_NODE_TYPES.some((t) => element.$instanceOf(t))) {
    const set = new Set([element.$type.slice('bpmn:'.length)]);
    for (const k of KIND_LABELS) if (element.$instanceOf(`bpmn:${k}`)) set.add(k);
    labels = [...set].sort();
  }
  kind = { flow, labels };
  kinds.set(element.$type, kind);
  return kind;
}

/** Element type → asked type → whether it is one: moddle's `$instanceOf` walks the meta-model each time. */
const subtypes = new Map<string, Map<string, boolean>>();

function isA(element: Element, type: string): boolean {
  let ofType = subtypes.get(element.$type);
  if (!ofType) subtypes.set(element.$type, (ofType = new Map()));
  let answer = ofType.get(type);
  if (answer === undefined) ofType.set(type, (answer = element.$instanceOf(type)));
  return answer;
}

/**
 * The graph container of an element: the process or sub-process of a flow element, the
 * process / sub-process / parent lane of a lane, the collaboration of a pool or message flow.
 */
function containerOf(element: Element): Element | undefined {
  let current = element.$parent;
  while (current) {
    if (
      isA(current, 'bpmn:FlowElementsContainer') ||
      isA(current, 'bpmn:Collaboration') ||
      (isA(current, 'bpmn:Lane') && isA(element, 'bpmn:Lane'))
    )
      return current;
    current = current.$parent;
  }
  return undefined;
}

function addEdge(graph: DiagramGraph, kind: EdgeKind, from: string, to: string): void {
  const edge: GraphEdge = { kind, from, to, elementId: null, name: null };
  graph.edges.set(edgeKey(edge), edge);
}

function id(element: Element): string {
  return element.id as string;
}

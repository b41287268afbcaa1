import fc from 'fast-check';
import type { Diagram } from '../diagram.js';
import type { ModdleElement } from '../model/moddle.js';
import type { Operation } from '../operation.js';

/**
 * Random proposals for property-based tests of the pure core: each step is a few numbers,
 * interpreted against the diagram as it is when the step runs (so shrinking keeps steps
 * meaningful). Every operation kind appears; many proposals are refused (a flow into a start
 * event, a move across containers…), which tests want too.
 */
const SHAPE_TYPES = [
  'bpmn:Task',
  'bpmn:UserTask',
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:IntermediateThrowEvent',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:SubProcess',
  'bpmn:TextAnnotation',
  'bpmn:DataObjectReference',
  'bpmn:BoundaryEvent',
  'bpmn:Participant',
  'bpmn:Lane',
];
const CONNECTION_TYPES = ['bpmn:SequenceFlow', 'bpmn:SequenceFlow', 'bpmn:MessageFlow', 'bpmn:Association'];
const REPLACEMENTS = ['bpmn:Task', 'bpmn:ServiceTask', 'bpmn:ExclusiveGateway', 'bpmn:EndEvent', 'bpmn:SubProcess'];
const KINDS = [
  'createShape',
  'createShape',
  'createConnection',
  'createConnection',
  'moveElements',
  'moveElements',
  'resizeShape',
  'updateWaypoints',
  'updateProperties',
  'updateProperties',
  'deleteElements',
  'replaceElement',
] as const;

export const randomStep = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  x: fc.integer({ min: -200, max: 1600 }),
  y: fc.integer({ min: -200, max: 900 }),
});
export type RandomStep = typeof randomStep extends fc.Arbitrary<infer T> ? T : never;

/** A proposal: one to three steps. */
export const randomProposal = fc.array(randomStep, { minLength: 1, maxLength: 3 });

/** The operations of `steps` against `diagram` as it is now (temporary ids `t<n>`). */
export function operationsOf(steps: RandomStep[], diagram: Diagram): Operation[] {
  const ids = idsOf(diagram);
  return steps.map((s, n) => operationOf(s, ids, `t${n}`)).filter((o): o is Operation => o !== undefined);
}

interface Ids {
  flowNodes: string[];
  activities: string[];
  containers: string[];
  pools: string[];
  lanes: string[];
  connections: string[];
  shapes: string[];
  deletable: string[];
}

function idsOf(diagram: Diagram): Ids {
  const all = [...diagram.elementsById.values()].filter((e) => e.$type.startsWith('bpmn:'));
  const ids = (test: (e: ModdleElement) => boolean) => all.filter(test).map((e) => e.id as string);
  const drawn = (e: ModdleElement) => diagram.diByElementId.has(e.id as string);
  return {
    flowNodes: ids((e) => e.$instanceOf('bpmn:FlowNode')),
    activities: ids((e) => e.$instanceOf('bpmn:Activity')),
    containers: ids((e) => e.$instanceOf('bpmn:SubProcess') || e.$instanceOf('bpmn:Participant')),
    pools: ids((e) => e.$instanceOf('bpmn:Participant')),
    lanes: ids((e) => e.$instanceOf('bpmn:Lane')),
    connections: ids((e) => drawn(e) && diagram.diByElementId.get(e.id as string)!.$type === 'bpmndi:BPMNEdge'),
    shapes: ids((e) => drawn(e) && diagram.diByElementId.get(e.id as string)!.$type === 'bpmndi:BPMNShape'),
    deletable: ids(
      (e) =>
        e.$instanceOf('bpmn:FlowElement') ||
        e.$instanceOf('bpmn:Artifact') ||
        e.$instanceOf('bpmn:MessageFlow') ||
        e.$instanceOf('bpmn:Participant') ||
        e.$instanceOf('bpmn:Lane'),
    ),
  };
}

function operationOf(s: RandomStep, ids: Ids, temporaryId: string): Operation | undefined {
  const pick = (list: string[], n: number) => (list.length === 0 ? undefined : list[n % list.length]);
  const bounds = { x: s.x, y: s.y, width: 40 + (s.c % 160), height: 30 + (s.b % 90) };
  switch (s.kind) {
    case 'createShape': {
      const type = SHAPE_TYPES[s.a % SHAPE_TYPES.length]!;
      const parents =
        type === 'bpmn:BoundaryEvent'
          ? ids.activities
          : type === 'bpmn:Lane'
            ? [...ids.pools, ...ids.lanes]
            : ['', ...ids.containers, ...ids.lanes];
      const parentId = pick(parents, s.b);
      if (parentId === undefined) return undefined;
      return { kind: 'createShape', id: temporaryId, type, parentId, bounds, name: s.c % 4 === 0 ? '' : `S${s.c}` };
    }
    case 'createConnection': {
      const type = CONNECTION_TYPES[s.c % CONNECTION_TYPES.length]!;
      const ends = type === 'bpmn:MessageFlow' ? [...ids.pools, ...ids.flowNodes] : ids.flowNodes;
      const sourceId = pick(ends, s.a);
      const targetId = pick(ends, s.b);
      if (!sourceId || !targetId) return undefined;
      const waypoints =
        s.x % 2 === 0
          ? []
          : [
              { x: s.x, y: s.y },
              { x: s.x + 50, y: s.y },
              { x: s.x + 50, y: s.y + 80 },
            ];
      return { kind: 'createConnection', id: temporaryId, type, sourceId, targetId, waypoints, name: `C${s.c}` };
    }
    case 'moveElements': {
      const first = pick([...ids.shapes, ...ids.connections], s.a);
      if (!first) return undefined;
      const second = s.b % 3 === 0 ? pick(ids.shapes, s.b) : undefined;
      const newParentId = s.c % 3 === 0 ? (pick(['', ...ids.containers, ...ids.lanes], s.c) ?? '') : '';
      return {
        kind: 'moveElements',
        elementIds: second ? [first, second] : [first],
        delta: { x: s.x % 90, y: s.y % 70 },
        newParentId,
      };
    }
    case 'resizeShape': {
      const elementId = pick(ids.shapes, s.a);
      return elementId ? { kind: 'resizeShape', elementId, bounds } : undefined;
    }
    case 'updateWaypoints': {
      const elementId = pick(ids.connections, s.a);
      const waypoints = [
        { x: s.x, y: s.y },
        { x: s.x + (s.b % 200), y: s.y + (s.c % 200) },
      ];
      return elementId ? { kind: 'updateWaypoints', elementId, waypoints } : undefined;
    }
    case 'updateProperties': {
      const elementId = pick([...ids.flowNodes, ...ids.connections, ...ids.pools], s.a);
      if (!elementId) return undefined;
      const variants: Array<Record<string, unknown>> = [
        { name: `Renamed ${s.b}` },
        { name: null },
        { documentation: `Doc & <notes> ${s.b}` },
        { documentation: null },
        { conditionExpression: `\${x > ${s.b}}` },
        { default: pick(ids.connections, s.b) ?? null },
        { isInterrupting: s.b % 2 === 0 },
      ];
      return {
        kind: 'updateProperties',
        elementId,
        properties: variants[s.c % variants.length] as Record<string, never>,
      };
    }
    case 'deleteElements': {
      const elementId = pick(ids.deletable, s.a);
      return elementId ? { kind: 'deleteElements', elementIds: [elementId] } : undefined;
    }
    case 'replaceElement': {
      const elementId = pick(ids.flowNodes, s.a);
      const newType = REPLACEMENTS[s.b % REPLACEMENTS.length]!;
      return elementId ? { kind: 'replaceElement', elementId, newType } : undefined;
    }
  }
}

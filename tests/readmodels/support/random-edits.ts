import fc from 'fast-check';
import { parseDiagram, semanticSummary, type Operation } from '@flowledger/bpmn-operations';

/**
 * Random editing steps for property-based read-model tests. A step is interpreted against the
 * ids the diagram has when it runs (read from the command side's XML), so sequences shrink well.
 */
export const NODE_TYPES = [
  'bpmn:Task',
  'bpmn:UserTask',
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:IntermediateThrowEvent',
  'bpmn:SubProcess',
];
// Weighted: creating comes first, or most steps would have nothing to refer to.
const STEP_KINDS = [
  ...['node', 'node', 'node', 'node', 'flow', 'flow', 'flow'],
  ...['message', 'pool', 'lane', 'delete', 'rename', 'replace', 'move', 'resize'],
] as const;

export const editStep = fc.record({
  kind: fc.constantFrom(...STEP_KINDS),
  a: fc.nat(),
  b: fc.nat(),
  type: fc.constantFrom(...NODE_TYPES),
  x: fc.integer({ min: 0, max: 1600 }),
  y: fc.integer({ min: 0, max: 900 }),
});
export type EditStep = typeof editStep extends fc.Arbitrary<infer T> ? T : never;

export interface CurrentIds {
  flowNodes: string[];
  pools: string[];
  subProcesses: string[];
  deletable: string[];
}

/** What the next step can refer to: the ids of the diagram in `xml`. */
export async function currentIds(xml: string): Promise<CurrentIds> {
  const { elements } = semanticSummary(await parseDiagram(xml));
  const ofType = (...types: string[]) => elements.filter((e) => types.includes(e.type)).map((e) => e.id);
  const flowNodes = ofType(...NODE_TYPES);
  const pools = ofType('bpmn:Participant');
  return {
    flowNodes,
    pools,
    subProcesses: ofType('bpmn:SubProcess'),
    deletable: [...flowNodes, ...pools, ...ofType('bpmn:SequenceFlow', 'bpmn:MessageFlow', 'bpmn:Lane')],
  };
}

/** The operations of one step (none when it has nothing to refer to). */
export function operationsFor(s: EditStep, ids: CurrentIds): Operation[] {
  const pick = (list: string[], n: number) => (list.length === 0 ? undefined : list[n % list.length]);
  const bounds = (w: number, h: number) => ({ x: s.x, y: s.y, width: w, height: h });
  const size = s.type.endsWith('Event') ? 36 : s.type.endsWith('Gateway') ? 50 : 100;
  switch (s.kind) {
    case 'node': {
      const parents = ['', ...ids.pools, ...ids.subProcesses];
      return [
        {
          kind: 'createShape',
          id: 'n',
          type: s.type,
          parentId: pick(parents, s.a)!,
          bounds: bounds(size, size === 100 ? 80 : size),
          name: `N${s.x}`,
        },
      ];
    }
    case 'flow': {
      const source = pick(ids.flowNodes, s.a);
      const target = pick(ids.flowNodes, s.b);
      if (!source || !target) return [];
      return [
        {
          kind: 'createConnection',
          id: 'c',
          type: 'bpmn:SequenceFlow',
          sourceId: source,
          targetId: target,
          waypoints: [],
          name: `F${s.y}`,
        },
      ];
    }
    case 'message': {
      // Message flows need two pools: add the pools missing, in the same proposal.
      const pool = (id: string, y: number): Operation => ({
        kind: 'createShape',
        id,
        type: 'bpmn:Participant',
        parentId: '',
        bounds: { x: 0, y, width: 1800, height: 300 },
        name: id,
      });
      const created =
        ids.pools.length >= 2 ? [] : ids.pools.length === 1 ? [pool('p2', 2400)] : [pool('p1', 1200), pool('p2', 2400)];
      const ends = [...ids.pools, ...created.map((o) => (o as { id: string }).id), ...ids.flowNodes];
      const source = created.length > 0 ? ends[0]! : pick(ends, s.a)!;
      const target = created.length > 0 ? 'p2' : pick(ends, s.b)!;
      return [
        ...created,
        {
          kind: 'createConnection',
          id: 'm',
          type: 'bpmn:MessageFlow',
          sourceId: source,
          targetId: target,
          waypoints: [],
          name: `M${s.y}`,
        },
      ];
    }
    case 'pool':
      return [
        {
          kind: 'createShape',
          id: 'p',
          type: 'bpmn:Participant',
          parentId: '',
          bounds: { x: 0, y: 1000 + s.y * 3, width: 1800, height: 300 },
          name: `Pool ${s.x}`,
        },
      ];
    case 'lane': {
      const pool = pick(ids.pools, s.a);
      return pool
        ? [{ kind: 'createShape', id: 'l', type: 'bpmn:Lane', parentId: pool, bounds: bounds(1770, 150), name: '' }]
        : [];
    }
    case 'delete': {
      const id = pick(ids.deletable, s.a);
      return id ? [{ kind: 'deleteElements', elementIds: [id] }] : [];
    }
    case 'rename': {
      const id = pick(ids.flowNodes, s.a);
      return id
        ? [{ kind: 'updateProperties', elementId: id, properties: { name: s.b % 3 === 0 ? null : `Renamed ${s.b}` } }]
        : [];
    }
    case 'replace': {
      const id = pick(ids.flowNodes, s.a);
      return id ? [{ kind: 'replaceElement', elementId: id, newType: s.type }] : [];
    }
    case 'move': {
      const id = pick(ids.flowNodes, s.a);
      const into = pick(ids.subProcesses, s.b);
      return id && into && id !== into
        ? [{ kind: 'moveElements', elementIds: [id], delta: { x: 1, y: 1 }, newParentId: into }]
        : [];
    }
    case 'resize': {
      const id = pick(ids.flowNodes, s.a);
      return id ? [{ kind: 'resizeShape', elementId: id, bounds: bounds(size + (s.b % 40), size) }] : [];
    }
  }
}

export function seedFromEnv(fallback?: number): number | undefined {
  return process.env.FLOWLEDGER_FC_SEED ? Number(process.env.FLOWLEDGER_FC_SEED) : fallback;
}

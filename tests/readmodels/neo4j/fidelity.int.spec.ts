import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDiagram, semanticSummary, type Operation } from '@flowledger/bpmn-operations';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { openNeo4jTestBed, type Neo4jTestBed } from './support/neo4j-read-model.js';
import { expectedGraph, storedGraph, wronglyContained } from './support/stored-graph.js';

// Random editing sessions through the command service (Envoy, real stack); after every applied
// version the Neo4j graph must equal the command side's GetDiagram at that version.
const tenant = uniqueTenant('neo4j-fidelity');
const alice = clientFor(tenant, 'alice', ['editor']);
let bed: Neo4jTestBed;

beforeAll(async () => {
  bed = await openNeo4jTestBed();
});
afterAll(async () => {
  alice.close();
  await bed.sink.reset(tenant);
  await bed.close();
});

const NODE_TYPES = [
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
  ...['message', 'pool', 'lane', 'delete', 'rename', 'replace', 'move'],
] as const;
const step = fc.record({
  kind: fc.constantFrom(...STEP_KINDS),
  a: fc.nat(),
  b: fc.nat(),
  type: fc.constantFrom(...NODE_TYPES),
  x: fc.integer({ min: 0, max: 1600 }),
  y: fc.integer({ min: 0, max: 900 }),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

describe('Neo4j graph fidelity (property-based)', () => {
  it('equals the command side at every version of random editing sessions', async () => {
    let session = 0;
    let applied = 0;
    let refused = 0;
    const appliedKinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 16 }), async (steps) => {
        session += 1;
        const { diagramId } = await alice.createDiagram(`Fidelity ${session}`);
        let version = 1;
        await projectAndCompare(diagramId, version);
        for (const s of steps) {
          const operations = operationsFor(s, await currentIds(diagramId, version));
          if (operations.length === 0) continue;
          const response = await alice.propose(diagramId, version, operations);
          if (response.result !== 'applied') {
            refused += 1; // the command side refused it: no event, nothing to project
            continue;
          }
          version = response.applied.version;
          applied += 1;
          appliedKinds.add(s.kind);
          await projectAndCompare(diagramId, version);
        }
      }),
      { numRuns: Number(process.env.FLOWLEDGER_FC_RUNS ?? 12), seed: seedFromEnv(), endOnFailure: true },
    );
    if (process.env.DEBUG_FIDELITY) console.info({ applied, refused, appliedKinds });
    // The sessions must have exercised the projector, not only been refused.
    expect(applied).toBeGreaterThan(refused);
    expect([...appliedKinds]).toEqual(expect.arrayContaining(['node', 'flow', 'message', 'pool', 'delete', 'replace']));
    expect(applied).toBeGreaterThan(20);
  }, 300_000);
});

async function projectAndCompare(diagramId: string, version: number): Promise<void> {
  const applied = await bed.sink.appliedVersion(tenant, diagramId);
  for (const change of await bed.changesSince(tenant, diagramId, applied + 1)) await bed.sink.apply(change);
  const { xml } = await alice.getDiagram(diagramId, version);
  expect(await storedGraph(bed.driver, tenant, diagramId)).toEqual(await expectedGraph(xml));
  expect(await wronglyContained(bed.driver, tenant, diagramId)).toEqual([]);
  expect(await bed.queries.findUnreachable({ tenantId: tenant, diagramId })).toMatchObject({ appliedVersion: version });
}

interface CurrentIds {
  flowNodes: string[];
  pools: string[];
  subProcesses: string[];
  deletable: string[];
}

/** What the next step can refer to: the ids of the diagram at `version`, as the command side has it. */
async function currentIds(diagramId: string, version: number): Promise<CurrentIds> {
  const { xml } = await alice.getDiagram(diagramId, version);
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

function operationsFor(s: Step, ids: CurrentIds): Operation[] {
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
  }
}

function seedFromEnv(): number | undefined {
  return process.env.FLOWLEDGER_FC_SEED ? Number(process.env.FLOWLEDGER_FC_SEED) : undefined;
}

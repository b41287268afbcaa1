import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { devToken, grpc } from '../../support/modeling-client.js';
import { flow, shape, task } from '../../support/proposal-operations.js';
import { QueryClient } from '../../support/query-client.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { LiveReadModels } from '../support/live-read-models.js';
import { SteadyClient } from '../support/steady-client.js';

// The graph questions of the Query API, asked through Envoy with a viewer's token, about
// diagrams built through the modeling API; the answers follow from how each diagram was built.
const tenant = uniqueTenant('graph-questions');
const live = new LiveReadModels();
const query = new QueryClient(devToken(tenant, 'vera', ['viewer']));
let alice: SteadyClient;
let diagramId: string;
let version: number;
/** Temporary id → permanent id, over every proposal. */
const id: Record<string, string> = {};

interface Element {
  elementId: string;
  type: string;
  name: string;
}

beforeAll(async () => {
  alice = new SteadyClient(tenant, 'alice', ['editor']);
  ({ diagramId, version } = await alice.createDiagram('routes'));
  // start → A → gateway → B | C → end; an orphan O with its successor P; an isolated task I.
  await propose([
    shape('S', 'bpmn:StartEvent', 100, 100, 'start'),
    task('A', 200, 'A'),
    shape('G', 'bpmn:ExclusiveGateway', 350, 100, 'which way'),
    shape('B', 'bpmn:Task', 450, 0, 'B'),
    shape('C', 'bpmn:Task', 450, 200, 'C'),
    shape('E', 'bpmn:EndEvent', 600, 100, 'end'),
    shape('O', 'bpmn:Task', 200, 400, 'orphan'),
    shape('P', 'bpmn:Task', 350, 400, 'after the orphan'),
    shape('I', 'bpmn:UserTask', 600, 400, 'isolated'),
  ]);
  await propose([
    flow('f1', id.S!, id.A!),
    flow('f2', id.A!, id.G!),
    flow('f3', id.G!, id.B!),
    flow('f4', id.G!, id.C!),
    flow('f5', id.B!, id.E!),
    flow('f6', id.C!, id.E!),
    flow('f7', id.O!, id.P!),
  ]);
});

afterAll(async () => {
  alice.close();
  query.close();
  await live.close();
});

describe('FindUnreachable, FindPaths, FindDanglingFlows through Envoy', () => {
  it('FindUnreachable names the orphan, what only the orphan leads to, and the isolated task', async () => {
    const { elements } = await query.call<{ elements: Element[] }>('FindUnreachable', { diagramId });

    expect(elements).toEqual(
      sortById([
        { elementId: id.O!, type: 'bpmn:Task', name: 'orphan' },
        { elementId: id.P!, type: 'bpmn:Task', name: 'after the orphan' },
        { elementId: id.I!, type: 'bpmn:UserTask', name: 'isolated' },
      ]),
    );
  });

  it('FindPaths gives both routes from start to end, flows between nodes, and honours max_paths', async () => {
    const viaB = [id.S, id.f1, id.A, id.f2, id.G, id.f3, id.B, id.f5, id.E];
    const viaC = [id.S, id.f1, id.A, id.f2, id.G, id.f4, id.C, id.f6, id.E];

    const all = await paths(id.S!, id.E!);
    const one = await paths(id.S!, id.E!, 1);

    expect(all).toEqual(expect.arrayContaining([viaB, viaC]));
    expect(all).toHaveLength(2);
    expect(one).toHaveLength(1);
    expect([viaB, viaC]).toContainEqual(one[0]);
    expect(await paths(id.E!, id.S!)).toEqual([]); // sequence flows are one-way
    expect(await paths(id.O!, id.P!)).toEqual([[id.O, id.f7, id.P]]);
    expect(await paths(id.S!, id.I!)).toEqual([]);
  });

  it('FindPaths refuses an end that is not in the diagram, and a missing end', async () => {
    await expect(paths(id.S!, 'NoSuchElement')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(paths(id.S!, '')).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });

  it('FindDanglingFlows finds none in a diagram the API built (it refuses flows without ends)', async () => {
    expect(await query.call('FindDanglingFlows', { diagramId })).toEqual({ flows: [] });
  });

  it('answers follow the diagram: deleting B leaves one route, connecting I makes it reachable', async () => {
    await propose([{ kind: 'deleteElements', elementIds: [id.B!] }]);
    expect(await paths(id.S!, id.E!)).toEqual([[id.S, id.f1, id.A, id.f2, id.G, id.f4, id.C, id.f6, id.E]]);

    await propose([flow('f8', id.G!, id.I!)]);
    const { elements } = await query.call<{ elements: Element[] }>('FindUnreachable', { diagramId });
    expect(elements.map((e) => e.elementId)).toEqual([id.O, id.P].sort());
    expect(await paths(id.S!, id.I!)).toEqual([[id.S, id.f1, id.A, id.f2, id.G, id.f8, id.I]]);
  });

  it('FindDanglingFlows finds the imported flow whose target is a data object', async () => {
    const xml = readFileSync(new URL('fixtures/dangling.bpmn', import.meta.url), 'utf8');
    const imported = await alice.createDiagram('dangling', xml);
    await live.waitForAll(tenant, imported.diagramId, imported.version);

    const { flows } = await query.call<{ flows: unknown[] }>('FindDanglingFlows', { diagramId: imported.diagramId });
    const { elements } = await query.call<{ elements: Element[] }>('FindUnreachable', {
      diagramId: imported.diagramId,
    });

    expect(flows).toEqual([
      { flowId: 'Broken', type: 'bpmn:SequenceFlow', sourceId: 'Ship', targetId: 'Label', reason: 'missing target' },
    ]);
    expect(elements).toEqual([]);
  });

  it('answers NOT_FOUND for a diagram the tenant does not have', async () => {
    await expect(query.call('FindUnreachable', { diagramId: 'no-such-diagram' })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });
});

/** Proposes on the current version, records the id map, and waits for the live graph to apply it. */
async function propose(operations: Operation[]): Promise<void> {
  const r = await alice.propose(diagramId, version, operations);
  if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.code} ${r.rejected.message}`);
  version = r.applied.version;
  Object.assign(id, r.applied.idMap);
  await live.waitForAll(tenant, diagramId, version);
}

async function paths(from: string, to: string, maxPaths = 0): Promise<string[][]> {
  const r = await query.call<{ paths: { elementIds: string[] }[] }>('FindPaths', {
    diagramId,
    fromElementId: from,
    toElementId: to,
    maxPaths,
  });
  return r.paths.map((p) => p.elementIds);
}

function sortById(elements: Element[]): Element[] {
  return [...elements].sort((a, b) => (a.elementId < b.elementId ? -1 : a.elementId > b.elementId ? 1 : 0));
}

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { adminPool, expectedRowsOf, storedRows, waitForProjection } from './read-model-support.js';

const tenant = uniqueTenant('rm-fidelity');
const client = clientFor(tenant, 'alice', ['editor']);
const pool = adminPool();
afterAll(async () => {
  client.close();
  await pool.end();
});

/** One random editing step, interpreted against the diagram's current elements when it runs. */
type Step =
  | { kind: 'task' | 'gateway' | 'event'; name: string; x: number; y: number }
  | { kind: 'connect'; from: number; to: number }
  | { kind: 'rename'; target: number; name: string }
  | { kind: 'delete'; target: number }
  | { kind: 'move'; target: number; dx: number; dy: number };

const name = fc.string({ minLength: 0, maxLength: 12 }).map((s) => s.replace(/[^\w ]/g, ''));
const index = fc.nat({ max: 20 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('task' as const, 'gateway' as const, 'event' as const),
    name,
    x: fc.nat({ max: 1500 }),
    y: fc.nat({ max: 800 }),
  }),
  fc.record({ kind: fc.constant('connect' as const), from: index, to: index }),
  fc.record({ kind: fc.constant('rename' as const), target: index, name }),
  fc.record({ kind: fc.constant('delete' as const), target: index }),
  fc.record({
    kind: fc.constant('move' as const),
    target: index,
    dx: fc.integer({ min: -200, max: 200 }),
    dy: fc.integer({ min: -200, max: 200 }),
  }),
);

describe('Postgres read model fidelity (property-based, through the command service)', () => {
  it('agrees with GetDiagram at the projected version: ids, types, names, flows, counts, history', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const { diagramId } = await client.createDiagram(`fidelity-${Date.now()}`);
        let version = 1;
        const nodes: string[] = [];
        for (const s of steps) {
          const operations = operationsFor(s, nodes);
          if (!operations) continue;
          const result = await client.propose(diagramId, version, operations);
          if (result.result !== 'applied') continue; // refused proposals change nothing anywhere
          version = result.applied.version;
          trackNodes(s, operations, result.applied.idMap, nodes);
        }

        await waitForProjection(pool, tenant, diagramId, version);
        const { xml } = await client.getDiagram(diagramId, version);
        const expected = await expectedRowsOf(xml);
        const stored = await storedRows(pool, tenant, diagramId);

        expect(stored.version).toBe(version);
        expect(stored.elements).toEqual(expected.elements);
        expect(stored.flows).toEqual(expected.flows);
        expect(stored.elementCount).toBe(expected.elements.length);
        expect(stored.flowCount).toBe(expected.flows.length);
        const history = await pool.query<{ version: string }>(
          'SELECT version FROM read_model.versions WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version',
          [tenant, diagramId],
        );
        expect(history.rows.map((r) => Number(r.version))).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      }),
      { numRuns: 6, seed: Number(process.env.FC_SEED ?? 4242) },
    );
  }, 300_000);
});

function operationsFor(s: Step, nodes: string[]): Operation[] | undefined {
  const pick = (i: number) => (nodes.length === 0 ? undefined : nodes[i % nodes.length]);
  switch (s.kind) {
    case 'task':
    case 'gateway':
    case 'event': {
      const type = { task: 'bpmn:Task', gateway: 'bpmn:ExclusiveGateway', event: 'bpmn:IntermediateThrowEvent' }[
        s.kind
      ];
      const size = s.kind === 'task' ? { width: 100, height: 80 } : { width: 50, height: 50 };
      return [
        { kind: 'createShape', id: 'new', type, parentId: '', bounds: { x: s.x, y: s.y, ...size }, name: s.name },
      ];
    }
    case 'connect': {
      const [from, to] = [pick(s.from), pick(s.to)];
      if (!from || !to || from === to) return undefined;
      return [
        {
          kind: 'createConnection',
          id: 'flow',
          type: 'bpmn:SequenceFlow',
          sourceId: from,
          targetId: to,
          waypoints: [],
          name: '',
        },
      ];
    }
    case 'rename': {
      const target = pick(s.target);
      return target
        ? [{ kind: 'updateProperties', elementId: target, properties: { name: s.name || null } }]
        : undefined;
    }
    case 'delete': {
      const target = pick(s.target);
      return target ? [{ kind: 'deleteElements', elementIds: [target] }] : undefined;
    }
    case 'move': {
      const target = pick(s.target);
      return target
        ? [{ kind: 'moveElements', elementIds: [target], delta: { x: s.dx, y: s.dy }, newParentId: '' }]
        : undefined;
    }
    default: {
      const never: never = s;
      return never;
    }
  }
}

function trackNodes(s: Step, operations: Operation[], idMap: Record<string, string>, nodes: string[]): void {
  if (s.kind === 'task' || s.kind === 'gateway' || s.kind === 'event') nodes.push(idMap.new!);
  if (s.kind === 'delete') {
    const gone = (operations[0] as { elementIds: string[] }).elementIds[0];
    nodes.splice(nodes.indexOf(gone!), 1);
  }
}

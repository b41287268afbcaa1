import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { currentIds, editStep, operationsFor, seedFromEnv } from '../support/random-edits.js';
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

describe('Neo4j graph fidelity (property-based)', () => {
  it('equals the command side at every version of random editing sessions', async () => {
    let session = 0;
    let applied = 0;
    let refused = 0;
    const appliedKinds = new Set<string>();
    const sessions = fc.asyncProperty(fc.array(editStep, { minLength: 4, maxLength: 16 }), async (steps) => {
      session += 1;
      const { diagramId } = await alice.createDiagram(`Fidelity ${session}`);
      let version = 1;
      await projectAndCompare(diagramId, version);
      for (const s of steps) {
        const operations = operationsFor(s, await currentIds((await alice.getDiagram(diagramId, version)).xml));
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
    });
    // Another round of sessions while a kind below was never applied (at most three rounds): one
    // round of random sessions now and then draws no applied `replace`, and what is checked
    // here is the projector, not the draw.
    const required = ['node', 'flow', 'message', 'pool', 'delete', 'replace'];
    const seed = seedFromEnv();
    for (let round = 0; round === 0 || (round < 3 && required.some((k) => !appliedKinds.has(k))); round++) {
      await fc.assert(sessions, {
        numRuns: Number(process.env.FLOWLEDGER_FC_RUNS ?? 12),
        seed: seed === undefined ? undefined : seed + round,
        endOnFailure: true,
      });
    }
    if (process.env.DEBUG_FIDELITY) console.info({ applied, refused, appliedKinds });
    // The sessions must have exercised the projector, not only been refused.
    expect(applied).toBeGreaterThan(refused);
    expect([...appliedKinds]).toEqual(expect.arrayContaining(required));
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

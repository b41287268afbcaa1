import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTenantSnapshotPolicy } from '@flowledger/snapshotter';
import { uniqueTenant } from '../../support/test-tenant.js';
import { checkVersion, type FidelityContext } from '../support/fidelity-check.js';
import { LiveReadModels } from '../support/live-read-models.js';
import { SteadyClient } from '../support/steady-client.js';
import { currentIds, editStep, operationsFor, seedFromEnv, type EditStep } from '../support/random-edits.js';
import { XsdValidator } from '../support/xsd-validator.js';

// Issue 4's projection fidelity, against the live stack: random editing sessions go through
// Envoy to the command service; at every applied version the running projectors and snapshotter
// must agree with GetDiagram — the snapshot XSD-valid and canonically equal, the Postgres rows
// and the Neo4j graph equal to what the command side's XML says.
const tenant = uniqueTenant('live-fidelity');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const live = new LiveReadModels();
const validator = new XsdValidator();
const ctx: FidelityContext = { tenant, client, live, validator };

beforeAll(async () => {
  // Every version a snapshot version for this tenant, set before its first event exists.
  await setTenantSnapshotPolicy(live.pool, tenant, { baseK: 1, maxK: 1, referenceBytes: 1 });
});
afterAll(async () => {
  client.close();
  validator.close();
  await setTenantSnapshotPolicy(live.pool, tenant, null);
  await live.close();
});

// Sessions run side by side, each on its own diagram: the time goes into waiting for the read
// models, not into work. Drawn up front from a fixed seed (FLOWLEDGER_FC_SEED to vary it); a
// failure names its session, whose steps the seed reproduces.
const SESSIONS_AT_ONCE = 5;

describe('live read models agree with the command side at every version (property-based)', () => {
  it('snapshots, Postgres rows and the Neo4j graph of random editing sessions', async () => {
    const seed = seedFromEnv(20261201);
    const sessions = fc.sample(fc.array(editStep, { minLength: 3, maxLength: 12 }), {
      numRuns: Number(process.env.FLOWLEDGER_FC_RUNS ?? 15),
      seed,
    });
    let applied = 0;
    let refused = 0;
    const kinds = new Set<string>();
    const runSession = async (steps: EditStep[], n: number) => {
      const { diagramId } = await client.createDiagram(`live fidelity ${n}`);
      let version = 1;
      await checkVersion(ctx, diagramId, version);
      for (const s of steps) {
        const operations = operationsFor(s, await currentIds((await client.getDiagram(diagramId, version)).xml));
        if (operations.length === 0) continue;
        const response = await client.propose(diagramId, version, operations);
        if (response.result !== 'applied') {
          refused += 1; // refused: no event, so nothing may change in any read model
          continue;
        }
        version = response.applied.version;
        applied += 1;
        kinds.add(s.kind);
        await checkVersion(ctx, diagramId, version);
      }
    };
    let next = 0;
    const failures: Error[] = [];
    // After a failure no session starts; those running end before the test reports it.
    const worker = async () => {
      for (let n = next++; n < sessions.length && failures.length === 0; n = next++) {
        try {
          await runSession(sessions[n]!, n);
        } catch (error) {
          const steps = JSON.stringify(sessions[n]);
          const message = `session ${n} (seed ${seed}, steps ${steps}) failed: ${(error as Error).message}`;
          failures.push(new Error(message, { cause: error }));
        }
      }
    };
    await Promise.all(Array.from({ length: SESSIONS_AT_ONCE }, worker));
    if (failures.length > 0) throw failures[0];
    if (process.env.DEBUG_FIDELITY) console.info({ applied, refused, kinds: [...kinds] });
    // The sessions must have exercised the read models, not only been refused.
    expect(applied).toBeGreaterThan(refused);
    expect([...kinds]).toEqual(expect.arrayContaining(['node', 'flow', 'delete']));
  }, 600_000);
});

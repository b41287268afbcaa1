import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDiagram, semanticSummary, type Operation } from '@flowledger/bpmn-operations';
import { setTenantSnapshotPolicy } from '@flowledger/snapshotter';
import { uniqueTenant } from '../../support/test-tenant.js';
import { checkVersion, type FidelityContext } from '../support/fidelity-check.js';
import { LiveReadModels } from '../support/live-read-models.js';
import { SteadyClient } from '../support/steady-client.js';
import { XsdValidator } from '../support/xsd-validator.js';

// Every MIWG reference model, imported through Envoy and then edited a few times: at each
// version the live snapshotter, Postgres projector and Neo4j projector agree with GetDiagram.
const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'miwg-reference');
const models = readdirSync(fixtures)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();
const tenant = uniqueTenant('live-miwg');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const live = new LiveReadModels();
const validator = new XsdValidator();
const ctx: FidelityContext = { tenant, client, live, validator };
const refusals: string[] = [];

beforeAll(async () => {
  await setTenantSnapshotPolicy(live.pool, tenant, { baseK: 1, maxK: 1, referenceBytes: 1 });
});
afterAll(async () => {
  if (process.env.DEBUG_FIDELITY) console.info(refusals);
  client.close();
  validator.close();
  await setTenantSnapshotPolicy(live.pool, tenant, null);
  await live.close();
});

describe('every MIWG reference model, at every version of an import and a few edits', () => {
  // Each model is its own diagram: several at once (vitest's maxConcurrency), as the time goes
  // into waiting for the read models.
  it.concurrent.each(models)('%s', async (file) => {
    const { diagramId, version: created } = await client.createDiagram(
      file,
      readFileSync(join(fixtures, file), 'utf8'),
    );
    let version = created;
    await checkVersion(ctx, diagramId, version);

    for (const edit of EDITS) {
      const { xml } = await client.getDiagram(diagramId, version);
      const operations = edit(await targetsOf(xml));
      if (!operations) continue;
      const response = await client.propose(diagramId, version, operations);
      if (response.result !== 'applied') {
        refusals.push(`${file} ${operations[0]!.kind}: ${response.rejected.code} ${response.rejected.message}`);
        continue;
      }
      version = response.applied.version;
      await checkVersion(ctx, diagramId, version);
    }
    // The import and at least three of the four edits: every model is checked at four versions or more.
    expect(version).toBeGreaterThanOrEqual(4);
  });
});

interface Targets {
  /** A flow node of the model, and the pool its process is in ('' for a process without one). */
  node: string | undefined;
  pool: string;
  /** The task this test added, once it exists. */
  added: string | undefined;
}

/** Rename a flow node, add a task beside it, connect them, then delete the original node. */
const EDITS: Array<(t: Targets) => Operation[] | undefined> = [
  (t) =>
    t.node ? [{ kind: 'updateProperties', elementId: t.node, properties: { name: 'Renamed by the test' } }] : undefined,
  (t) => [
    {
      kind: 'createShape',
      id: 'added',
      type: 'bpmn:Task',
      parentId: t.pool,
      bounds: { x: 40, y: 40, width: 100, height: 80 },
      name: 'Added by the test',
    },
  ],
  (t) =>
    t.node && t.added
      ? [
          {
            kind: 'createConnection',
            id: 'link',
            type: 'bpmn:SequenceFlow',
            sourceId: t.node,
            targetId: t.added,
            waypoints: [],
            name: '',
          },
        ]
      : undefined,
  (t) => (t.node ? [{ kind: 'deleteElements', elementIds: [t.node] }] : undefined),
];

/**
 * The edits' targets in the model as the command side has it now: a task directly in a process
 * (not in a sub-process, where the added task could not be connected to it), and that process's
 * pool when the model is a collaboration.
 */
async function targetsOf(xml: string): Promise<Targets> {
  const diagram = await parseDiagram(xml);
  const { elements } = semanticSummary(diagram);
  const added = elements.find((e) => e.name === 'Added by the test')?.id;
  const pools = [...diagram.elementsById.values()].filter((e) => e.$type === 'bpmn:Participant');
  for (const { id, type } of elements) {
    if (id === added || !type.endsWith('Task')) continue;
    const parent = diagram.elementsById.get(id)?.$parent as { $type: string; id: string } | undefined;
    if (parent?.$type !== 'bpmn:Process') continue;
    const pool = pools.find((p) => (p.processRef as { id?: string } | undefined)?.id === parent.id);
    if (pools.length > 0 && !pool) continue;
    return { node: id, pool: (pool?.id as string | undefined) ?? '', added };
  }
  return { node: undefined, pool: '', added };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { OperationError, type Operation } from '@flowledger/bpmn-operations';
import { DEFAULT_PROPOSAL_LIMITS } from '../proposals/proposal-limits.js';
import { inProcessEngine } from './in-process-engine.js';
import { createSidecarEngine } from './sidecar-engine.js';
import { ModelingClient, devToken } from '../../../../tests/support/modeling-client.js';
import { startCommandService, type CommandServiceProcess } from '../../../../tests/support/command-service-process.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const protoDir = join(root, 'schemas', 'proto');
const config = loadStackConfig();
const c40 = readFileSync(join(root, 'tests', 'fixtures', 'miwg-reference', 'C.4.0.bpmn'), 'utf8');
const sidecar = createSidecarEngine(config.moddle.address, protoDir);

const smallChange: Operation[] = [
  {
    kind: 'createShape',
    id: 'new-task',
    type: 'bpmn:Task',
    parentId: '',
    bounds: { x: 900, y: 900, width: 100, height: 80 },
    name: 'Added',
  },
  { kind: 'updateProperties', elementId: 'new-task', properties: { name: 'Renamed' } },
];

afterAll(() => sidecar.close());

describe('operation engines: the moddle sidecar and the in-process core agree', () => {
  it('gives the same XML, id map and resolved operations for the same proposal on MIWG C.4.0', async () => {
    const context = { version: 5, limits: DEFAULT_PROPOSAL_LIMITS };
    const local = await inProcessEngine.apply({ version: 4, xml: c40, model: undefined }, smallChange, context);
    const remote = await sidecar.apply({ version: 4, xml: c40, model: undefined }, smallChange, context);
    expect(remote.xml).toBe(local.xml);
    expect(remote.idMap).toEqual(local.idMap);
    expect(remote.idMap).toEqual({ 'new-task': 'Task_5_1' });
    expect(remote.resolved).toEqual(local.resolved);
    expect(remote.model.elementsById.has('Task_5_1')).toBe(true);
  });

  it('refuses an operation on an unknown element with INVALID_OPERATION, as the core does', async () => {
    const bad: Operation[] = [{ kind: 'deleteElements', elementIds: ['no-such-element'] }];
    const error = await sidecar
      .apply({ version: 1, xml: c40, model: undefined }, bad, { version: 2, limits: DEFAULT_PROPOSAL_LIMITS })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect((error as OperationError).code).toBe('INVALID_OPERATION');
    expect((error as OperationError).message).toMatch(/no-such-element/);
  });
});

describe('a command service configured with FLOWLEDGER_MODDLE_MODE=sidecar', () => {
  let service: CommandServiceProcess;

  beforeAll(async () => {
    service = await startCommandService('sidecar-mode', { FLOWLEDGER_MODDLE_MODE: 'sidecar' });
  }, 120_000);

  afterAll(() => service?.stop());

  it('applies proposals through the sidecar', async () => {
    const tenant = `sidecar${Date.now().toString(36)}`;
    const client = new ModelingClient(devToken(tenant, 'alice', ['editor']), { address: service.address });
    const { diagramId } = await client.createDiagram('via sidecar');
    const transactionId = `tx-sidecar-${Date.now().toString(36)}`;
    const result = await client.propose(diagramId, 1, smallChange, transactionId);
    expect(result.result).toBe('applied');
    if (result.result !== 'applied') return;
    expect(result.applied.idMap).toEqual({ 'new-task': 'Task_2_1' });
    expect((await client.getDiagram(diagramId)).xml).toContain('name="Renamed"');
    client.close();
    expect(service.log()).toMatch(/operations sidecar/);
    // The sidecar's JSON log line of that apply names the proposal (the ids go along as metadata).
    const applies = readFileSync(join(root, 'var', 'log', 'moddleSidecar.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes(transactionId))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(applies).toEqual([
      expect.objectContaining({ tenant_id: tenant, diagram_id: diagramId, transaction_id: transactionId, version: 2 }),
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { setTenantSnapshotPolicy } from '@flowledger/snapshotter';
import { uniqueTenant } from '../../support/test-tenant.js';
import { checkVersion, type FidelityContext } from '../support/fidelity-check.js';
import { LiveReadModels } from '../support/live-read-models.js';
import { SteadyClient } from '../support/steady-client.js';
import { XsdValidator } from '../support/xsd-validator.js';

// The permanent id rule gives `_2` when an id is taken, by the diagram or by one of the
// proposal's own temporary ids. Replaying the recorded change must give the same ids again, or
// every read model built from the stream disagrees with the command side from that version on.
const tenant = uniqueTenant('colliding-ids');
const client = new SteadyClient(tenant, 'alice', ['editor']);
const live = new LiveReadModels();
const validator = new XsdValidator();
const ctx: FidelityContext = { tenant, client, live, validator };

beforeAll(async () => {
  await setTenantSnapshotPolicy(live.pool, tenant, { baseK: 1, maxK: 1, referenceBytes: 1 });
});
afterAll(async () => {
  client.close();
  validator.close();
  await setTenantSnapshotPolicy(live.pool, tenant, null);
  await live.close();
});

const TAKEN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1"><bpmn:task id="Task_2_1" name="Was here first" /></bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1"><bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1">
    <bpmndi:BPMNShape id="Task_2_1_di" bpmnElement="Task_2_1"><dc:Bounds x="0" y="0" width="100" height="80" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

const task = (id: string, x: number): Operation => ({
  kind: 'createShape',
  id,
  type: 'bpmn:Task',
  parentId: '',
  bounds: { x, y: 200, width: 100, height: 80 },
  name: `proposed as ${id}`,
});

describe('a proposal whose temporary ids collide with permanent ones', () => {
  it('is projected with the ids the command side gave, by every read model', async () => {
    const { diagramId, version } = await client.createDiagram('Taken ids', TAKEN);
    await checkVersion(ctx, diagramId, version);

    const answer = await client.propose(diagramId, version, [
      task('first', 200),
      task('Task_2_3', 400),
      task('third', 600),
    ]);
    expect(answer.result).toBe('applied');
    if (answer.result !== 'applied') return;
    expect(answer.applied.idMap).toEqual({ first: 'Task_2_1_2', Task_2_3: 'Task_2_2', third: 'Task_2_3_2' });

    await checkVersion(ctx, diagramId, answer.applied.version);
  });
});

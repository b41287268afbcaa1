import { afterAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { flow, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// The rule documented in libs/bpmn-operations/README.md ("Permanent ids"): a new element gets
// `<LocalTypeName>_<version>_<ordinal>`, its DI `<id>_di`; a taken id gets `_2`, `_3`, …
const tenant = uniqueTenant('idmap');
const alice = clientFor(tenant, 'alice', ['editor']);
afterAll(() => alice.close());

async function applied(diagramId: string, base: number, operations: Operation[]) {
  const response = await alice.propose(diagramId, base, operations);
  if (response.result !== 'applied') throw new Error(`expected Applied, got ${JSON.stringify(response.rejected)}`);
  return response.applied;
}

describe('id_map', () => {
  it('names new elements <Type>_<version>_<ordinal>, and their DI <id>_di', async () => {
    const { diagramId } = await alice.createDiagram('Ids');

    const { idMap } = await applied(diagramId, 1, [task('a', 100), task('b', 300), flow('f', 'a', 'b')]);

    expect(idMap).toEqual({ a: 'Task_2_1', b: 'Task_2_2', f: 'SequenceFlow_2_3' });
    const { xml } = await alice.getDiagram(diagramId);
    for (const id of ['Task_2_1_di', 'Task_2_2_di', 'SequenceFlow_2_3_di']) expect(xml).toContain(`id="${id}"`);
  });

  it("names a pool's elements created alongside with the pool's version and ordinal", async () => {
    const { diagramId } = await alice.createDiagram('Pool');
    const pool: Operation = {
      kind: 'createShape',
      id: 'pool',
      type: 'bpmn:Participant',
      parentId: '',
      bounds: { x: 0, y: 0, width: 600, height: 250 },
      name: 'Sales',
    };

    const { idMap } = await applied(diagramId, 1, [pool]);

    expect(idMap).toEqual({ pool: 'Participant_2_1' });
    const { xml } = await alice.getDiagram(diagramId);
    expect(xml).toContain('id="Collaboration_2_1"');
  });

  it('appends _2 when the permanent id is taken in the diagram or is a temporary id of the proposal', async () => {
    const taken = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1"><bpmn:task id="Task_2_1" /></bpmn:process>
</bpmn:definitions>`;
    const { diagramId } = await alice.createDiagram('Taken', taken);

    const { idMap } = await applied(diagramId, 1, [task('first', 100), task('Task_2_3', 300), task('third', 500)]);

    // Task_2_1 is in the diagram; Task_2_3 is the second operation's temporary id.
    expect(idMap).toEqual({ first: 'Task_2_1_2', Task_2_3: 'Task_2_2', third: 'Task_2_3_2' });
  });
});

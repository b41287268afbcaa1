import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOperations } from './apply-operations.js';
import { parseDiagram, serializeDiagram } from './diagram.js';
import { DEFAULT_OPERATION_LIMITS } from './operation-limits.js';
import type { Operation } from './operation.js';
import { replayOperations } from './replay-operations.js';
import { randomProposal } from './test-support/random-operations.js';
import { miwgModels as models, playSession, readMiwgModel } from './test-support/random-sessions.js';

const BASE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="D" targetNamespace="urn:t">
  <bpmn:process id="Process_1"><bpmn:task id="Task_2_1" /></bpmn:process>
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
  name: id,
});

describe('replayOperations', () => {
  it('gives the ids the proposal got, also where a temporary id made a permanent one "taken"', async () => {
    // given a proposal whose ids collide: Task_2_1 is in the diagram, Task_2_3 is a temporary id
    const proposed = await parseDiagram(BASE);
    const change = await applyOperations(proposed, [task('first', 200), task('Task_2_3', 400), task('third', 600)], {
      version: 2,
      limits: DEFAULT_OPERATION_LIMITS,
    });
    expect(change.idMap).toEqual({ first: 'Task_2_1_2', Task_2_3: 'Task_2_2', third: 'Task_2_3_2' });

    // when its recorded form is replayed on the same base
    const replayed = await parseDiagram(BASE);
    await replayOperations(replayed, { operations: change.resolved, idMap: change.idMap, version: 2 });

    // then the diagram is the same, ids and all (applying the resolved operations as a proposal would not be)
    expect(await serializeDiagram(replayed)).toBe(await serializeDiagram(proposed));
    const naive = await parseDiagram(BASE);
    await applyOperations(naive, change.resolved, { version: 2, limits: DEFAULT_OPERATION_LIMITS });
    expect(await serializeDiagram(naive)).not.toBe(await serializeDiagram(proposed));
  });

  it('rebuilds every version of random editing sessions exactly, and each version reads back as itself', async () => {
    let replayedChanges = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...models),
        fc.array(randomProposal, { maxLength: 8 }),
        async (model, proposals) => {
          const xml = readMiwgModel(model);
          const replica = await parseDiagram(xml);
          replayedChanges += await playSession(xml, proposals, async ({ version, operations, change, xml: live }) => {
            await replayOperations(replica, { operations: change.resolved, idMap: change.idMap, version });
            const got = await serializeDiagram(replica);
            expect(got, `after ${JSON.stringify(operations)}`).toBe(live);
            // …and a process that starts from the XML instead (a cold start, a refusal) reads the same diagram.
            expect(await serializeDiagram(await parseDiagram(live)), `${model} read back`).toBe(live);
          });
        },
      ),
      { numRuns: 120, seed: 7 },
    );
    expect(replayedChanges).toBeGreaterThan(100);
  }, 120_000);
});

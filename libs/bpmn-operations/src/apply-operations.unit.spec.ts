import { describe, expect, it } from 'vitest';
import { applyOperations } from './apply-operations.js';
import { parseDiagram, serializeDiagram } from './diagram.js';
import type { Operation } from './operation.js';
import { DEFAULT_OPERATION_LIMITS } from './operation-limits.js';
import { givenDiagram, rejectionOf } from './operations/diagram-fixtures.js';

const proposal: Operation[] = [
  {
    kind: 'createShape',
    id: 'review',
    type: 'bpmn:UserTask',
    parentId: '',
    bounds: { x: 650, y: 78, width: 100, height: 80 },
    name: 'Review',
  },
  {
    kind: 'createShape',
    id: 'end',
    type: 'bpmn:EndEvent',
    parentId: '',
    bounds: { x: 800, y: 100, width: 36, height: 36 },
    name: '',
  },
  {
    kind: 'createConnection',
    id: 'f1',
    type: 'bpmn:SequenceFlow',
    sourceId: 'Task_2',
    targetId: 'review',
    waypoints: [],
    name: '',
  },
  {
    kind: 'createConnection',
    id: 'f2',
    type: 'bpmn:SequenceFlow',
    sourceId: 'review',
    targetId: 'end',
    waypoints: [],
    name: '',
  },
  { kind: 'updateProperties', elementId: 'f2', properties: { name: 'approved' } },
  { kind: 'moveElements', elementIds: ['review', 'f1'], delta: { x: 10, y: 0 }, newParentId: '' },
];

describe('applyOperations', () => {
  it('gives new elements <LocalTypeName>_<version>_<ordinal> and resolves later references to them', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    const change = await applyOperations(diagram, proposal, { version: 12, limits: DEFAULT_OPERATION_LIMITS });

    // then
    expect(change.idMap).toEqual({
      review: 'UserTask_12_1',
      end: 'EndEvent_12_2',
      f1: 'SequenceFlow_12_3',
      f2: 'SequenceFlow_12_4',
    });
    expect(change.resolved[3]).toMatchObject({
      id: 'SequenceFlow_12_4',
      sourceId: 'UserTask_12_1',
      targetId: 'EndEvent_12_2',
    });
    expect(change.resolved[4]).toMatchObject({ elementId: 'SequenceFlow_12_4' });
    expect(change.resolved[5]).toMatchObject({ elementIds: ['UserTask_12_1', 'SequenceFlow_12_3'] });
  });

  it('gives the same diagram when the resolved operations are replayed on the base', async () => {
    // given
    const base = await serializeDiagram(await givenDiagram('process'));
    const first = await parseDiagram(base);
    const change = await applyOperations(first, proposal, { version: 12, limits: DEFAULT_OPERATION_LIMITS });

    // when
    const replayed = await parseDiagram(base);
    const again = await applyOperations(replayed, change.resolved, { version: 12, limits: DEFAULT_OPERATION_LIMITS });

    // then
    expect(await serializeDiagram(replayed)).toBe(await serializeDiagram(first));
    expect(again.resolved).toEqual(change.resolved);
  });

  it('names the failing operation by its position', async () => {
    const error = await rejectionOf(await givenDiagram('process'), [
      proposal[0]!,
      { kind: 'deleteElements', elementIds: ['Nope'] },
    ]);
    expect(error.operationIndex).toBe(1);
    expect(error.message).toMatch(/^operation 2 \(deleteElements\): unknown element "Nope"/);
    expect(error.retriable).toBe(false);
  });

  it('refuses a temporary id that equals a permanent id given earlier in the proposal', async () => {
    const error = await rejectionOf(await givenDiagram('process'), [
      proposal[0]!,
      { ...proposal[1]!, id: 'UserTask_7_1' } as Operation,
    ]);
    expect(error.message).toContain('already used in the diagram');
  });
});

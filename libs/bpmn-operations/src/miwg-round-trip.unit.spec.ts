import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyOperations } from './apply-operations.js';
import { parseDiagram, serializeDiagram, type Diagram } from './diagram.js';
import type { ModdleElement } from './model/moddle.js';
import type { Operation } from './operation.js';
import { DEFAULT_OPERATION_LIMITS } from './operation-limits.js';
import { reread } from './operations/diagram-fixtures.js';
import { semanticSummary } from './semantic-summary.js';

const MIWG = new URL('../../../tests/fixtures/miwg-reference/', import.meta.url);
const files = readdirSync(MIWG).filter((f) => f.endsWith('.bpmn'));

describe('MIWG reference round trip', () => {
  it('has the reference files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s comes back semantically equal after parse and serialize', async (file) => {
    // given
    const original = await parseDiagram(readFileSync(new URL(file, MIWG), 'utf8'));

    // when
    const xml = await serializeDiagram(original);
    const reread = await parseDiagram(xml);

    // then
    const summary = semanticSummary(original);
    expect(summary.elements.length).toBeGreaterThan(0);
    expect(summary.shapes.length).toBeGreaterThan(0);
    expect(semanticSummary(reread)).toEqual(summary);
    // Serializing is deterministic: a second pass changes nothing.
    expect(await serializeDiagram(reread)).toBe(xml);
  });
});

describe('operations on the MIWG reference files', () => {
  it.each(files)('%s keeps its indexes consistent through create, connect, replace, move and delete', async (file) => {
    // given
    const diagram = await parseDiagram(readFileSync(new URL(file, MIWG), 'utf8'));
    const process = rootProcessOf(diagram);
    const task = flowNodes(process).find((e) => e.$instanceOf('bpmn:Task'));
    const doomed = flowNodes(process).find((e) => e.$instanceOf('bpmn:SubProcess') || e.$instanceOf('bpmn:Gateway'));

    // when
    const operations: Operation[] = [
      {
        kind: 'createShape',
        id: 'new',
        type: 'bpmn:Task',
        parentId: process.id,
        bounds: { x: 5000, y: 5000, width: 100, height: 80 },
        name: 'New',
      },
      { kind: 'moveElements', elementIds: ['new'], delta: { x: 10, y: 10 }, newParentId: '' },
    ];
    if (task && diagram.diByElementId.has(task.id)) {
      operations.push(
        {
          kind: 'createConnection',
          id: 'flow',
          type: 'bpmn:SequenceFlow',
          sourceId: task.id,
          targetId: 'new',
          waypoints: [],
          name: '',
        },
        { kind: 'replaceElement', elementId: task.id, newType: 'bpmn:UserTask' },
      );
    }
    if (doomed) operations.push({ kind: 'deleteElements', elementIds: [doomed.id] });
    const change = await applyOperations(diagram, operations, { version: 2, limits: DEFAULT_OPERATION_LIMITS });

    // then
    expect(change.idMap.new).toBe('Task_2_1');
    await reread(diagram);
  });
});

function rootProcessOf(diagram: Diagram): ModdleElement {
  const processes = (diagram.definitions.rootElements as ModdleElement[]).filter((e) => e.$instanceOf('bpmn:Process'));
  return processes.find((p) => flowNodes(p).length > 0) ?? processes[0]!;
}

function flowNodes(process: ModdleElement): ModdleElement[] {
  return ((process.flowElements ?? []) as ModdleElement[]).filter((e) => e.$instanceOf('bpmn:FlowNode'));
}

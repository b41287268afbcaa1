import { describe, expect, it } from 'vitest';
import type { Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import type { ProjectedChange } from './projection.js';
import { chunkByDiagramSize } from './write-chunks.js';

/** A change of diagram `d` at `version` whose diagram has `elements` elements (only the size matters here). */
function change(d: string, version: number, elements: number): ProjectedChange {
  const diagram = { elementsById: new Map(Array.from({ length: elements }, (_, i) => [`e${i}`, {}])) };
  return { event: { tenantId: 't', diagramId: d, version } as DiagramEvent, diagram: diagram as unknown as Diagram };
}

const shape = (chunks: ProjectedChange[][]) =>
  chunks.map((c) => c.map((x) => `${x.event.diagramId}${x.event.version}`));

describe('writes cut by diagram size', () => {
  it('keeps small diagrams in one write, each diagram together and in order', () => {
    const changes = [change('a', 1, 5), change('b', 1, 5), change('a', 2, 6), change('b', 2, 7)];
    expect(shape(chunkByDiagramSize(changes, 100))).toEqual([['a1', 'a2', 'b1', 'b2']]);
  });

  it('starts a new write when the next diagram would go over the budget; a too large one goes alone', () => {
    const changes = [change('a', 1, 60), change('b', 1, 50), change('c', 1, 500), change('d', 1, 10)];
    expect(shape(chunkByDiagramSize(changes, 100))).toEqual([['a1'], ['b1'], ['c1'], ['d1']]);
    expect(shape(chunkByDiagramSize([change('a', 1, 40), change('b', 1, 50), change('c', 1, 20)], 100))).toEqual([
      ['a1', 'b1'],
      ['c1'],
    ]);
  });

  it('gives nothing for nothing', () => {
    expect(chunkByDiagramSize([])).toEqual([]);
  });
});

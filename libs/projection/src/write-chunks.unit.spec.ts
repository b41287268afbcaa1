import { describe, expect, it } from 'vitest';
import type { Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import type { ProjectedChange } from './projection.js';
import { chunkByDiagramSize } from './write-chunks.js';

/**
 * A batch's changes, each `[diagram, version, elements]`: as in a rebuild, the changes of one
 * diagram share its object, in the state of its last change (only the size matters here).
 */
function batch(...specs: [string, number, number][]): ProjectedChange[] {
  const diagrams = new Map<string, { elementsById: Map<string, object> }>();
  return specs.map(([d, version, elements]) => {
    let diagram = diagrams.get(d);
    if (!diagram) diagrams.set(d, (diagram = { elementsById: new Map() }));
    diagram.elementsById = new Map(Array.from({ length: elements }, (_, i) => [`e${i}`, {}]));
    const event = { tenantId: 't', diagramId: d, version } as DiagramEvent;
    return { event, diagram: diagram as unknown as Diagram };
  });
}

const shape = (chunks: ProjectedChange[][]) =>
  chunks.map((c) => c.map((x) => `${x.event.diagramId}${x.event.version}`));

describe('writes cut by diagram size', () => {
  it('keeps small diagrams in one write, each diagram together and in order', () => {
    const changes = batch(['a', 1, 5], ['b', 1, 5], ['a', 2, 6], ['b', 2, 7]);
    expect(shape(chunkByDiagramSize(changes, 100))).toEqual([['a1', 'a2', 'b1', 'b2']]);
  });

  it('starts a new write when the next diagram would go over the budget; a too large one goes alone', () => {
    const changes = batch(['a', 1, 60], ['b', 1, 50], ['c', 1, 500], ['d', 1, 10]);
    expect(shape(chunkByDiagramSize(changes, 100))).toEqual([['a1'], ['b1'], ['c1'], ['d1']]);
    expect(shape(chunkByDiagramSize(batch(['a', 1, 40], ['b', 1, 50], ['c', 1, 20]), 100))).toEqual([
      ['a1', 'b1'],
      ['c1'],
    ]);
  });

  it('gives nothing for nothing', () => {
    expect(chunkByDiagramSize([])).toEqual([]);
  });
});

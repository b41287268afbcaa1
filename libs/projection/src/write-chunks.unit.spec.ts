import { describe, expect, it } from 'vitest';
import { sizedChanges, writeShape } from './test-support/sized-changes.js';
import { chunkByDiagramSize } from './write-chunks.js';

describe('writes cut by diagram size', () => {
  it('keeps small diagrams in one write, each diagram together and in order', () => {
    const changes = sizedChanges(['a', 1, 5], ['b', 1, 5], ['a', 2, 6], ['b', 2, 7]);
    expect(writeShape(chunkByDiagramSize(changes, 100))).toEqual([['a1', 'a2', 'b1', 'b2']]);
  });

  it('starts a new write when the next diagram would go over the budget; a too large one goes alone', () => {
    const changes = sizedChanges(['a', 1, 60], ['b', 1, 50], ['c', 1, 500], ['d', 1, 10]);
    expect(writeShape(chunkByDiagramSize(changes, 100))).toEqual([['a1'], ['b1'], ['c1'], ['d1']]);
    expect(writeShape(chunkByDiagramSize(sizedChanges(['a', 1, 40], ['b', 1, 50], ['c', 1, 20]), 100))).toEqual([
      ['a1', 'b1'],
      ['c1'],
    ]);
  });

  it('gives nothing for nothing', () => {
    expect(chunkByDiagramSize([])).toEqual([]);
  });
});

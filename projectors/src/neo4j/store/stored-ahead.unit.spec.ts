import { describe, expect, it } from 'vitest';
import type { StoredGraphContent } from './graph-content.js';
import { isStillCurrent } from './stored-ahead.js';

const content = (appliedVersion: number, elements: number): StoredGraphContent => ({
  appliedVersion,
  nodes: new Map(Array.from({ length: elements }, (_, i) => [`t${i}`, { labels: ['Task'], properties: {} }])),
  edges: new Map(),
  rows: { nodes: elements, edges: 0 },
});

describe('isStillCurrent: a subgraph read ahead of the freeze', () => {
  it('serves while its diagram stands at the version and element count it was read at', () => {
    expect(isStillCurrent(content(4, 3), { elements: 3, appliedVersion: 4 })).toBe(true);
  });

  it('is read again once a live write moved the version, or nodes came or went', () => {
    expect(isStillCurrent(content(4, 3), { elements: 3, appliedVersion: 5 })).toBe(false);
    expect(isStillCurrent(content(4, 3), { elements: 4, appliedVersion: 4 })).toBe(false);
    expect(isStillCurrent(content(4, 3), { elements: 2, appliedVersion: 4 })).toBe(false);
  });

  it('is read again when it was not read at all, or its diagram node appeared or went', () => {
    expect(isStillCurrent(undefined, { elements: 3, appliedVersion: 4 })).toBe(false);
    expect(isStillCurrent(content(0, 3), { elements: 3, appliedVersion: 2 })).toBe(false);
    expect(isStillCurrent(content(2, 3), { elements: 3, appliedVersion: undefined })).toBe(false);
    // no diagram node then and now (elements a damaged or foreign write left): 0 stands for none
    expect(isStillCurrent(content(0, 3), { elements: 3, appliedVersion: undefined })).toBe(true);
  });
});

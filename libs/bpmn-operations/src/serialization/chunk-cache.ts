import type { ModdleElement } from '../model/moddle.js';

/**
 * What the incremental serializer remembers of one chunk (see chunked-xml.ts): its XML as it
 * stands in the document at `depth`, and the namespace prefixes it uses, in order of first use.
 */
export interface CachedChunk {
  text: string;
  depth: number;
  prefixes: string[];
}

// Keyed by the model objects themselves: a chunk of a diagram nobody holds any more goes with it.
const chunks = new WeakMap<object, CachedChunk>();

export function cachedChunk(element: ModdleElement): CachedChunk | undefined {
  return chunks.get(element);
}

export function cacheChunk(element: ModdleElement, chunk: CachedChunk): void {
  chunks.set(element, chunk);
}

/**
 * Tells the serializer that `element` changed: the XML of the chunk holding it must be made
 * again. Every change an operation makes to an element already in a diagram goes through here
 * (element-lists.ts does it for list changes), marking the element whose property changed —
 * for a DI shape's bounds or an edge's waypoints, the shape or edge itself. Forgetting the
 * element and every ancestor is enough: chunks are found by walking up `$parent`.
 */
export function markChanged(element: ModdleElement | undefined): void {
  for (let current = element; current; current = current.$parent) chunks.delete(current);
}

/** Forgets every chunk of the tree under `root` (a model changed in ways nobody told). */
export function forgetChunks(elements: Iterable<ModdleElement>): void {
  for (const element of elements) chunks.delete(element);
}

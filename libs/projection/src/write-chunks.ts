import type { ProjectedChange } from './projection.js';

/**
 * Elements (semantic and DI) one sink write may carry, summed over the distinct diagrams in it.
 * Sinks write each diagram's whole state at least once per write (Postgres its rows, Neo4j a cold
 * diagram's subgraph), so this, not the event count, is what a transaction's size follows: two
 * 20,000-element diagrams in one write went over Neo4j's 128 MiB transaction memory limit.
 */
export const MAX_ELEMENTS_PER_WRITE = 20_000;

/**
 * `changes` cut into writes of at most `maxElements` diagram elements each, keeping every
 * diagram's changes together and in order (a diagram larger than the budget goes alone).
 * Reads each diagram's size now, before the caller awaits anything.
 */
export function chunkByDiagramSize(
  changes: ProjectedChange[],
  maxElements = MAX_ELEMENTS_PER_WRITE,
): ProjectedChange[][] {
  // Keyed by the diagram object, which a batch's changes of one diagram share (projection.ts):
  // no key string per change.
  const byDiagram = new Map<ProjectedChange['diagram'], ProjectedChange[]>();
  for (const change of changes) {
    const list = byDiagram.get(change.diagram);
    if (list) list.push(change);
    else byDiagram.set(change.diagram, [change]);
  }
  return packWrites([...byDiagram.values()], maxElements);
}

/**
 * Groups of changes (each one diagram's, kept together and in order) packed greedily into writes
 * of at most `maxElements` elements, a group's size being its last change's diagram's (a group
 * larger than the budget goes alone).
 */
export function packWrites(groups: ProjectedChange[][], maxElements = MAX_ELEMENTS_PER_WRITE): ProjectedChange[][] {
  const writes: ProjectedChange[][] = [];
  let current: ProjectedChange[] = [];
  let size = 0;
  for (const group of groups) {
    const elements = group[group.length - 1]!.diagram.elementsById.size;
    if (current.length > 0 && size + elements > maxElements) {
      writes.push(current);
      current = [];
      size = 0;
    }
    current.push(...group);
    size += elements;
  }
  if (current.length > 0) writes.push(current);
  return writes;
}

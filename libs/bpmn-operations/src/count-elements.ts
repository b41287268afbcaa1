import type { Diagram } from './diagram.js';

/** Semantic elements with an id (flow nodes, flows, lanes, participants, processes, …); DI is not counted. */
export function countElements(diagram: Diagram): number {
  let count = 0;
  for (const element of diagram.elementsById.values()) {
    if (element.$type.startsWith('bpmn:')) count++;
  }
  return count;
}

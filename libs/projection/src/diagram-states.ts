import type { Diagram } from '@flowledger/bpmn-operations';
import { diagramKey as keyOf } from './diagram-key.js';

/** A diagram as a projector holds it in memory: the model and the version it is at. */
export interface DiagramState {
  version: number;
  diagram: Diagram;
}

/**
 * The diagrams a projector keeps replaying, least recently used first out: a diagram evicted
 * (or never seen) starts cold again from a snapshot or the ledger.
 */
export class DiagramStates {
  private readonly states = new Map<string, DiagramState>();

  constructor(private readonly capacity = 2_000) {}

  get(tenantId: string, diagramId: string): DiagramState | undefined {
    const key = keyOf(tenantId, diagramId);
    const state = this.states.get(key);
    if (state) {
      // Re-inserting moves it to the end: Map iteration order is insertion order.
      this.states.delete(key);
      this.states.set(key, state);
    }
    return state;
  }

  set(tenantId: string, diagramId: string, state: DiagramState): void {
    const key = keyOf(tenantId, diagramId);
    this.states.delete(key);
    this.states.set(key, state);
    while (this.states.size > this.capacity) this.states.delete(this.states.keys().next().value!);
  }

  delete(tenantId: string, diagramId: string): void {
    this.states.delete(keyOf(tenantId, diagramId));
  }

  get size(): number {
    return this.states.size;
  }
}

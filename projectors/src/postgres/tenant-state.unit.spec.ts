import { describe, expect, it } from 'vitest';
import type { Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import type { ProjectedChange } from '@flowledger/projection';
import { createStateCollector } from './tenant-state.js';

/**
 * Changes `[diagram, version, elements]` in stream order: as in a rebuild, the changes of one
 * diagram share its object, and only its size matters to the cut. Version 1 is the creation.
 */
function changes(...specs: [string, number, number][]): ProjectedChange[] {
  const diagrams = new Map<string, { elementsById: Map<string, object> }>();
  return specs.map(([d, version, elements]) => {
    let diagram = diagrams.get(d);
    if (!diagram) diagrams.set(d, (diagram = { elementsById: new Map() }));
    diagram.elementsById = new Map(Array.from({ length: elements }, (_, i) => [`e${i}`, {}]));
    const eventType = version === 1 ? 'DIAGRAM_CREATED' : 'CHANGE_APPLIED';
    const event = { tenantId: 't', diagramId: d, version, eventType } as DiagramEvent;
    return { event, diagram: diagram as unknown as Diagram };
  });
}

const shape = (writes: ProjectedChange[][]) =>
  writes.map((w) => w.map((c) => `${c.event.diagramId}${c.event.version}`));

describe("a tenant rebuild's state writes", () => {
  it("hold each diagram's last change once, after its created change, in one write while they fit", () => {
    const state = createStateCollector();
    state.take(changes(['a', 1, 5], ['b', 1, 5], ['a', 2, 6]));
    state.take(changes(['a', 3, 7], ['c', 4, 3]));

    expect(shape(state.writes(100))).toEqual([['a1', 'a3', 'b1', 'c4']]);
    expect([state.appliedVersion('t', 'a'), state.appliedVersion('t', 'b'), state.appliedVersion('t', 'x')]).toEqual([
      3, 1, 0,
    ]);
  });

  it('start a new write when the next diagram would go over the budget; a larger one goes alone', () => {
    const state = createStateCollector();
    state.take(changes(['a', 1, 60], ['b', 1, 50], ['c', 1, 500], ['d', 1, 10], ['b', 2, 55]));

    expect(shape(state.writes(100))).toEqual([['a1'], ['b1', 'b2'], ['c1'], ['d1']]);
    expect(shape(state.writes(1_000))).toEqual([['a1', 'b1', 'b2', 'c1', 'd1']]);
  });

  it("keep a diagram's created change beside its last even when they hold different diagram objects", () => {
    const state = createStateCollector();
    const [created] = changes(['a', 1, 40]);
    const later = changes(['a', 2, 70], ['b', 2, 40]); // another batch: other objects
    state.take([created!, ...later]);

    const writes = state.writes(100);
    expect(shape(writes)).toEqual([['a1', 'a2'], ['b2']]);
    expect(writes[0]![0]).toBe(created);
  });

  it('are none for no changes', () => {
    expect(createStateCollector().writes()).toEqual([]);
  });
});

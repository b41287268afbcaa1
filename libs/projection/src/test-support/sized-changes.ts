import type { Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import type { ProjectedChange } from '../projection.js';

/**
 * Changes `[diagram, version, elements]` in stream order, for tests of how writes are cut: as in
 * a rebuild, the changes of one diagram share its object, in the size of its latest change, and
 * only that size is real (no elements, no XML). Version 1 is the diagram's creation.
 */
export function sizedChanges(...specs: [string, number, number][]): ProjectedChange[] {
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

/** `a1`, `b2`, …: a diagram id and version per change, per write. */
export const writeShape = (writes: ProjectedChange[][]): string[][] =>
  writes.map((w) => w.map((c) => `${c.event.diagramId}${c.event.version}`));

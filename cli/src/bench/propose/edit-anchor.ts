import { parseDiagram } from '@flowledger/bpmn-operations';
import type { EditAnchor } from './small-changes.js';

/** The first task of a process that has a shape: what the benchmark's small changes touch. */
export async function findEditAnchor(xml: string): Promise<EditAnchor> {
  const diagram = await parseDiagram(xml);
  for (const element of diagram.elementsById.values()) {
    const shape = diagram.diByElementId.get(element.id as string);
    if (element.$instanceOf('bpmn:Task') && element.$parent?.$instanceOf('bpmn:Process') && shape?.bounds) {
      const { x, y, width, height } = shape.bounds as EditAnchor['bounds'];
      return { taskId: element.id as string, processId: element.$parent.id as string, bounds: { x, y, width, height } };
    }
  }
  throw new Error('the diagram has no task with a shape directly in a process');
}

import type { ApplyState } from '../apply-state.js';
import { parseDiagram } from '../diagram.js';
import type { ImportXml } from '../operation.js';

/**
 * Replaces the whole diagram with the parsed XML, keeping its ids (they become permanent as
 * they are). Every semantic element of the imported diagram counts as touched.
 */
export async function importXml(state: ApplyState, op: ImportXml): Promise<ImportXml> {
  const imported = await parseDiagram(op.xml);
  Object.assign(state.diagram, imported);
  for (const [id, element] of imported.elementsById) if (element.$type.startsWith('bpmn:')) state.touched.add(id);
  return op;
}

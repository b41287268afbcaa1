import type { Diagram } from '@flowledger/bpmn-operations';

/** One semantic element of a diagram as the `elements` table holds it. */
export interface ElementRow {
  elementId: string;
  elementType: string;
  name: string | null;
  /** The semantic parent (process, sub-process, lane set, collaboration, …), null for the root. */
  parentId: string | null;
}

/** One connection as the `flows` table holds it: sequence/message flows, associations, data associations. */
export interface FlowRow {
  flowId: string;
  flowType: string;
  sourceId: string | null;
  targetId: string | null;
  name: string | null;
}

export interface DiagramRows {
  elements: ElementRow[];
  flows: FlowRow[];
}

const CONNECTION_TYPES = ['bpmn:SequenceFlow', 'bpmn:MessageFlow', 'bpmn:Association', 'bpmn:DataAssociation'];

/**
 * The rows a diagram is stored as: every semantic element with an id (DI left out, as in
 * `countElements`/`semanticSummary`) and, for connections, their ends — the same reading of a
 * diagram the command side's `semanticSummary` makes, so the two can be compared.
 */
export function diagramRows(diagram: Diagram): DiagramRows {
  const elements: ElementRow[] = [];
  const flows: FlowRow[] = [];
  for (const [id, element] of diagram.elementsById) {
    if (!element.$type.startsWith('bpmn:')) continue;
    const name = (element.name as string | undefined) ?? null;
    const parent = element.$parent as { id?: string } | undefined;
    elements.push({ elementId: id, elementType: element.$type, name, parentId: parent?.id ?? null });
    if (CONNECTION_TYPES.some((t) => element.$instanceOf(t))) {
      flows.push({
        flowId: id,
        flowType: element.$type,
        sourceId: refId(element.sourceRef),
        targetId: refId(element.targetRef),
        name,
      });
    }
  }
  return { elements, flows };
}

/** A reference's id; a data input association may name a list of sources. */
function refId(ref: unknown): string | null {
  if (Array.isArray(ref)) return ref.map((r: { id: string }) => r.id).join(',') || null;
  return (ref as { id?: string } | undefined)?.id ?? null;
}

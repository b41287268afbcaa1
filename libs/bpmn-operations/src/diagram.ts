import { moddle, type ModdleElement } from './model/moddle.js';
import { OperationError, type OperationViolation } from './operation-error.js';
import { canSerializeChunked, serializeChunked } from './serialization/chunked-xml.js';
import { seedChunks } from './serialization/seed-chunks.js';
import { checkedSometimes } from './serialization/self-check.js';

/**
 * A parsed BPMN diagram with the indexes operations need, so that no operation scans the
 * whole tree. Owned by one caller at a time: applyOperations mutates it in place.
 */
export interface Diagram {
  /** The `bpmn:Definitions` root. */
  definitions: ModdleElement;
  /** Every element with an id, semantic and DI alike. */
  elementsById: Map<string, ModdleElement>;
  /** Semantic id → its `bpmndi:BPMNShape` or `bpmndi:BPMNEdge`. */
  diByElementId: Map<string, ModdleElement>;
}

/**
 * Parses BPMN 2.0 XML. Anything moddle cannot read as BPMN — not XML, another root, elements
 * unknown to the BPMN meta-model (which the XSD would refuse too) — is an INVALID_OPERATION.
 * Unresolved references and encoding notices stay warnings: they are not ours to judge here.
 */
export async function parseDiagram(xml: string): Promise<Diagram> {
  let result;
  try {
    result = await moddle.fromXML(xml, 'bpmn:Definitions');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new OperationError('INVALID_OPERATION', `not a BPMN 2.0 document: ${firstLine(message)}`, [
      violationOf(message),
    ]);
  }
  const unparsable = result.warnings.filter((w) => w.message.startsWith('unparsable content'));
  if (unparsable.length > 0) {
    throw new OperationError(
      'INVALID_OPERATION',
      `not valid BPMN 2.0: ${firstLine(unparsable[0]!.message)}${unparsable.length > 1 ? ` (and ${unparsable.length - 1} more)` : ''}`,
      unparsable.map((w) => violationOf(w.message)),
    );
  }
  return indexDiagram(result.rootElement, new Map(Object.entries(result.elementsById)));
}

/**
 * `parseDiagram` for XML this library wrote (`serializeDiagram`'s output: a stored version, a
 * snapshot): the text also fills the serializer's cache, so the next serialization writes only
 * what changed since — not the whole document, as it would after `parseDiagram`. Any other XML
 * is only parsed (serialization/seed-chunks.ts checks).
 */
export async function parseStoredDiagram(xml: string): Promise<Diagram> {
  const diagram = await parseDiagram(xml);
  await seedStoredDiagram(diagram, xml);
  return diagram;
}

/**
 * The second half of `parseStoredDiagram`, for a caller that may never serialize the diagram
 * (seeding costs about a third of the parse): `diagram` must be `parseDiagram(xml)`'s result, not
 * changed since. Returns whether the serializer's cache now holds its text.
 */
export function seedStoredDiagram(diagram: Diagram, xml: string): Promise<boolean> {
  return seedChunks(diagram.definitions, xml);
}

/**
 * Deterministic for a given model: the same diagram always serializes to the same string,
 * moddle's `toXML({ format: true })`. Only the parts changed since the last call are written
 * again (serialization/chunked-xml.ts).
 */
export async function serializeDiagram(diagram: Diagram): Promise<string> {
  const { definitions } = diagram;
  const whole = async () => (await moddle.toXML(definitions, { format: true })).xml;
  const chunked = canSerializeChunked(definitions) ? await serializeChunked(definitions) : undefined;
  return chunked === undefined ? whole() : checkedSometimes(definitions, chunked, whole);
}

/** A diagram with one empty process and its BPMNDiagram/BPMNPlane; ids are fixed. */
export function emptyDiagramXml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1" isExecutable="false" />
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1" />
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** Builds the DI index of a freshly parsed model. */
export function indexDiagram(definitions: ModdleElement, elementsById: Map<string, ModdleElement>): Diagram {
  const diByElementId = new Map<string, ModdleElement>();
  for (const bpmnDiagram of (definitions.diagrams ?? []) as ModdleElement[]) {
    for (const di of (bpmnDiagram.plane?.planeElement ?? []) as ModdleElement[]) {
      const id = di.bpmnElement?.id as string | undefined;
      if (id !== undefined && !diByElementId.has(id)) diByElementId.set(id, di);
    }
  }
  return { definitions, elementsById, diByElementId };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!;
}

/** moddle reports 0-based positions inside its messages ("line: 3 column: 14"). */
function violationOf(message: string): OperationViolation {
  const line = /line: (\d+)/.exec(message);
  const column = /column: (\d+)/.exec(message);
  return {
    elementId: '',
    rule: 'bpmn-parse',
    message: message.replace(/\s+/g, ' ').trim(),
    line: line ? Number(line[1]) + 1 : 0,
    column: column ? Number(column[1]) + 1 : 0,
  };
}

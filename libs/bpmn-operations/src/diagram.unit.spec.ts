import { describe, expect, it } from 'vitest';
import { canonicalHash } from './canonical-hash.js';
import { countElements } from './count-elements.js';
import { emptyDiagramXml, parseDiagram, serializeDiagram } from './diagram.js';
import { OperationError } from './operation-error.js';

async function parseError(xml: string): Promise<OperationError> {
  const error = await parseDiagram(xml).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OperationError);
  return error as OperationError;
}

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';

describe('parseDiagram', () => {
  it('reads the empty diagram: one process, its diagram and plane, fixed ids', async () => {
    const diagram = await parseDiagram(emptyDiagramXml());
    expect([...diagram.elementsById.keys()]).toEqual(['Definitions_1', 'Process_1', 'BPMNDiagram_1', 'BPMNPlane_1']);
    expect(countElements(diagram)).toBe(2);
  });

  it.each([
    ['text that is no XML', 'not xml', 'not a BPMN 2.0 document'],
    ['another root element', '<foo/>', 'not a BPMN 2.0 document'],
    ['a BPMN process as root', `<bpmn:process ${BPMN} id="P"/>`, 'not a BPMN 2.0 document'],
    [
      'an element unknown to BPMN',
      `<bpmn:definitions ${BPMN}><bpmn:process id="P"><bpmn:tusk id="x"/></bpmn:process></bpmn:definitions>`,
      'not valid BPMN 2.0',
    ],
    [
      'broken XML',
      `<bpmn:definitions ${BPMN}>\n  <bpmn:process id="P">\n</bpmn:definitions>`,
      'not a BPMN 2.0 document',
    ],
  ])('refuses %s as INVALID_OPERATION', async (_, xml, message) => {
    const error = await parseError(xml);
    expect(error.code).toBe('INVALID_OPERATION');
    expect(error.message).toContain(message);
    expect(error.violations.length).toBeGreaterThan(0);
  });

  it('reports where moddle found the problem, 1-based', async () => {
    const error = await parseError(
      `<bpmn:definitions ${BPMN}>\n<bpmn:process id="P">\n  <bpmn:tusk id="x"/></bpmn:process></bpmn:definitions>`,
    );
    expect(error.violations[0]).toMatchObject({ rule: 'bpmn-parse', line: 3, column: 3 });
  });

  it('keeps extension elements of other namespaces', async () => {
    const xml = `<bpmn:definitions ${BPMN} xmlns:x="urn:x"><bpmn:process id="P"><bpmn:task id="T" x:a="1"><bpmn:extensionElements><x:b/></bpmn:extensionElements></bpmn:task></bpmn:process></bpmn:definitions>`;
    const out = await serializeDiagram(await parseDiagram(xml));
    expect(out).toContain('x:a="1"');
    expect(out).toContain('<x:b />');
  });
});

describe('serializeDiagram and canonicalHash', () => {
  it('serialize the same model to the same text and hash, however it was written', async () => {
    const compact = emptyDiagramXml().replace(/\n\s*/g, '');
    const a = await serializeDiagram(await parseDiagram(emptyDiagramXml()));
    const b = await serializeDiagram(await parseDiagram(compact));
    expect(a).toBe(b);
    expect(canonicalHash(a)).toBe(canonicalHash(b));
    expect(canonicalHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

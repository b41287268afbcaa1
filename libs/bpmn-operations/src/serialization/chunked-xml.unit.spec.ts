import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDiagram, serializeDiagram, type Diagram } from '../diagram.js';
import { moddle } from '../model/moddle.js';
import { randomProposal } from '../test-support/random-operations.js';
import { miwgModels as models, playSession, readMiwgModel as read } from '../test-support/random-sessions.js';
import { prefixesUsed } from './chunked-xml.js';
import { CHECK_EVERY, onSerializationMismatch, type MismatchHandler } from './self-check.js';

/** moddle's own serialization of the whole model: what serializeDiagram must equal. */
const whole = async (diagram: Diagram) => (await moddle.toXML(diagram.definitions, { format: true })).xml;

describe('serializeDiagram writes only what changed, and exactly what moddle writes', () => {
  it('equals moddle on every MIWG model, the first time and again', async () => {
    expect(models.length).toBeGreaterThan(10);
    for (const model of models) {
      const diagram = await parseDiagram(read(model));
      const expected = await whole(diagram);
      expect(await serializeDiagram(diagram), model).toBe(expected);
      expect(await serializeDiagram(diagram), `${model}, from known chunks`).toBe(expected);
    }
  });

  it('equals moddle after every proposal of random editing sessions on MIWG models', async () => {
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...models),
        fc.array(randomProposal, { minLength: 1, maxLength: 12 }),
        async (model, proposals) => {
          applied += await playSession(read(model), proposals, async ({ operations, diagram, xml }) => {
            expect(xml, `${model} after ${JSON.stringify(operations)}`).toBe(await whole(diagram));
          });
        },
      ),
      { numRuns: 150, seed: 42 },
    );
    expect(applied).toBeGreaterThan(300);
  }, 180_000);

  it('notices a change nobody marked within CHECK_EVERY calls, and from then on writes it', async () => {
    // given a diagram whose chunks are known, and a task renamed behind the serializer's back
    const diagram = await parseDiagram(read('C.9.1.bpmn'));
    await serializeDiagram(diagram);
    const task = [...diagram.elementsById.values()].find((e) => e.$instanceOf('bpmn:Task'))!;
    task.name = 'Renamed without telling anyone';
    const expected = await whole(diagram);
    const reports: Parameters<MismatchHandler>[0][] = [];
    onSerializationMismatch((details) => reports.push(details));

    // when it is serialized again and again
    const outputs: string[] = [];
    for (let i = 0; i < CHECK_EVERY; i++) outputs.push(await serializeDiagram(diagram));

    // then one check caught it and every later output is right
    expect(reports).toHaveLength(1);
    expect(reports[0]!.rootId).toBe(diagram.definitions.id);
    const caught = outputs.indexOf(expected);
    expect(caught).toBeGreaterThanOrEqual(0);
    expect(outputs.slice(caught).every((xml) => xml === expected)).toBe(true);
    expect(outputs.slice(0, caught).every((xml) => xml !== expected)).toBe(true);
  });
});

describe('prefixesUsed', () => {
  it('lists element and attribute prefixes in order of first use, without xml: and those declared in the text', () => {
    const chunk = `<bpmn:task id="t" xsi:type="x:T" xml:lang="en">
  <bpmn:extensionElements>
    <camunda:properties xmlns:camunda="urn:c" />
    <x:meta><bpmn:documentation>a b:c="d" is text</bpmn:documentation></x:meta>
  </bpmn:extensionElements>
</bpmn:task>
<dc:Bounds x="1" />`;
    expect(prefixesUsed(chunk)).toEqual(['bpmn', 'xsi', 'x', 'dc']);
  });

  it('finds a prefixed attribute after any number of plain ones, and none in an element name alone', () => {
    expect(prefixesUsed(`<a id="1" name="n" other:flag="true"/>`)).toEqual(['other']);
    expect(prefixesUsed(`<bpmndi:BPMNEdge id="e" bpmnElement="f"></bpmndi:BPMNEdge>`)).toEqual(['bpmndi']);
  });
});

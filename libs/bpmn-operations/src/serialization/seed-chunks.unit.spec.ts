import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply-operations.js';
import { parseDiagram, parseStoredDiagram, serializeDiagram, type Diagram } from '../diagram.js';
import { subtreeOf } from '../model/children.js';
import { moddle } from '../model/moddle.js';
import { DEFAULT_OPERATION_LIMITS } from '../operation-limits.js';
import { randomProposal } from '../test-support/random-operations.js';
import { miwgModels as models, playSession, readMiwgModel as read } from '../test-support/random-sessions.js';
import { cachedChunk } from './chunk-cache.js';
import { seedChunks } from './seed-chunks.js';

/** moddle's own serialization of the whole model: what serializeDiagram must equal. */
const whole = async (diagram: Diagram) => (await moddle.toXML(diagram.definitions, { format: true })).xml;
/** A model's XML as this library stores it. */
const stored = async (model: string) => serializeDiagram(await parseDiagram(read(model)));
const cachedCount = (diagram: Diagram) => subtreeOf(diagram.definitions).filter((e) => cachedChunk(e)).length;

describe('parseStoredDiagram fills the serializer cache from the stored text', () => {
  it('on every MIWG model as stored: the cache is filled and the next serialization is the stored text', async () => {
    expect(models.length).toBeGreaterThan(10);
    for (const model of models) {
      const xml = await stored(model);
      const diagram = await parseDiagram(xml);
      const seeded = await seedChunks(diagram.definitions, xml);
      expect(seeded, model).toBe(cachedCount(diagram) > 0);
      expect(await serializeDiagram(diagram), model).toBe(xml);
      // the same moddle writes from a plain parse: the cache changes the cost, not the text
      expect(await whole(await parseDiagram(xml)), model).toBe(xml);
    }
    // (a model without any chunk list item has nothing to seed; most have)
    const seededModels = await Promise.all(
      models.map(async (m) => {
        const xml = await stored(m);
        return seedChunks((await parseDiagram(xml)).definitions, xml);
      }),
    );
    expect(seededModels.filter(Boolean).length).toBeGreaterThan(models.length / 2);
  }, 30_000); // every MIWG model parsed and written four times: 6-11 s on a loaded 2-core host

  it('equals moddle after every proposal of random sessions started (and reloaded) from stored XML', async () => {
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...models),
        fc.array(randomProposal, { minLength: 1, maxLength: 12 }),
        async (model, proposals) => {
          const xml = await stored(model);
          applied += await playSession(
            xml,
            proposals,
            async ({ operations, diagram, xml: after }) => {
              expect(after, `${model} after ${JSON.stringify(operations)}`).toBe(await whole(diagram));
            },
            { parse: parseStoredDiagram },
          );
        },
      ),
      { numRuns: 100, seed: 7 },
    );
    expect(applied).toBeGreaterThan(200);
  }, 180_000);

  it('cuts every chunk but those whose id another element repeats (extension ids are their own)', async () => {
    // given a stored document in which two tasks carry an extension element with the same id
    let original = read('C.1.0.bpmn');
    const tasks = [...original.matchAll(/<task id="[^"]+"[^>]*>\s*<extensionElements>/g)].slice(0, 2);
    expect(tasks).toHaveLength(2);
    for (const [opening] of tasks) original = original.replace(opening, `${opening}<camunda:formField id="shared" />`);
    const xml = await serializeDiagram(await parseDiagram(original));
    expect(xml.match(/ id="shared"/g)).toHaveLength(2);

    // when it is loaded as a stored diagram
    const diagram = await parseStoredDiagram(xml);

    // then the other chunks are cached, and the text comes back unchanged
    expect(cachedCount(diagram)).toBeGreaterThan(10);
    expect(await serializeDiagram(diagram)).toBe(xml);
  });

  it('only parses a text not laid out as moddle writes it (a MIWG original)', async () => {
    // when an original, laid out by another tool, is parsed as a stored diagram
    const diagram = await parseStoredDiagram(read('C.1.0.bpmn'));

    // then nothing is cached, and the serialization is moddle's
    expect(cachedCount(diagram)).toBe(0);
    expect(await serializeDiagram(diagram)).toBe(await whole(diagram));
  });

  it('keeps a chunk as stored until an operation changes it, as the process that wrote it would', async () => {
    // given a stored document with one task's attributes in another order than moddle's
    const xml = await stored('C.1.0.bpmn');
    const [, taskId, name] = /<task id="([^"]+)" name="([^"]*)"/.exec(xml)!;
    const reordered = xml.replace(`<task id="${taskId}" name="${name}"`, `<task name="${name}" id="${taskId}"`);
    expect(reordered).not.toBe(xml);

    // when it is loaded, serialized, then the task renamed
    const diagram = await parseStoredDiagram(reordered);
    const before = await serializeDiagram(diagram);
    await applyOperations(
      diagram,
      [{ kind: 'updateProperties', elementId: taskId!, properties: { name: 'Renamed' } }],
      {
        version: 2,
        limits: DEFAULT_OPERATION_LIMITS,
      },
    );
    const after = await serializeDiagram(diagram);

    // then the untouched text stays as stored, and the changed task is moddle's again
    expect(before).toBe(reordered);
    expect(after).toBe(await whole(diagram));
    expect(after).toContain(`<task id="${taskId}" name="Renamed"`);
  });
});

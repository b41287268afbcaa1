/**
 * Rough timings of the write path on a ~100 KB diagram (MIWG C.4.0): parse, one
 * createShape + createConnection, serialize, hash. Not a test: run it and read the numbers.
 *
 *   node --import tsx libs/bpmn-operations/bench/measure-apply.ts [file.bpmn] [rounds]
 */
import { readFileSync } from 'node:fs';
import {
  DEFAULT_OPERATION_LIMITS,
  applyOperations,
  canonicalHash,
  parseDiagram,
  serializeDiagram,
  type Diagram,
} from '../src/index.js';

const file = process.argv[2] ?? new URL('../../../tests/fixtures/miwg-reference/C.4.0.bpmn', import.meta.url).pathname;
const rounds = Number(process.argv[3] ?? 200);
const xml = readFileSync(file, 'utf8');

const timings = { parse: [] as number[], apply: [] as number[], serialize: [] as number[], hash: [] as number[] };

for (let round = 0; round < rounds; round++) {
  let t = performance.now();
  const diagram = await parseDiagram(xml);
  timings.parse.push(performance.now() - t);

  const source = firstTask(diagram);
  t = performance.now();
  await applyOperations(
    diagram,
    [
      {
        kind: 'createShape',
        id: 'new',
        type: 'bpmn:Task',
        parentId: source.$parent!.id,
        bounds: { x: 2000, y: 2000, width: 100, height: 80 },
        name: 'New',
      },
      {
        kind: 'createConnection',
        id: 'flow',
        type: 'bpmn:SequenceFlow',
        sourceId: source.id,
        targetId: 'new',
        waypoints: [],
        name: '',
      },
    ],
    { version: 2, limits: DEFAULT_OPERATION_LIMITS },
  );
  timings.apply.push(performance.now() - t);

  t = performance.now();
  const out = await serializeDiagram(diagram);
  timings.serialize.push(performance.now() - t);

  t = performance.now();
  canonicalHash(out);
  timings.hash.push(performance.now() - t);
}

console.log(`${file} (${(xml.length / 1024).toFixed(0)} KB, ${rounds} rounds; first 20 rounds are warm-up)`);
for (const [step, values] of Object.entries(timings)) {
  const warm = values.slice(Math.min(20, values.length - 1)).sort((a, b) => a - b);
  const at = (q: number): string => warm[Math.min(warm.length - 1, Math.floor(q * warm.length))]!.toFixed(2);
  console.log(`${step.padEnd(10)} median ${at(0.5)} ms  p95 ${at(0.95)} ms  first ${values[0]!.toFixed(2)} ms`);
}

function firstTask(diagram: Diagram) {
  for (const element of diagram.elementsById.values()) {
    if (
      element.$instanceOf('bpmn:Task') &&
      element.$parent?.$instanceOf('bpmn:Process') &&
      diagram.diByElementId.has(element.id)
    )
      return element;
  }
  throw new Error('no task in a process');
}

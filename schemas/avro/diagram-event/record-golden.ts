/**
 * Records the golden bytes of v1: the Avro binary body (no Confluent framing: the schema id
 * depends on the registry) of every `v1.golden*.json`, written beside it as `.hex`.
 * Run after changing a golden payload, never after changing the schema: a schema edit that
 * changes these bytes is a new schema version (v2.avsc), not an edit of v1.
 *   npx tsx schemas/avro/diagram-event/record-golden.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { diagramEventAvroType } from '@flowledger/events';

const dir = new URL('./', import.meta.url);
const type = diagramEventAvroType();
for (const file of readdirSync(dir).filter((f) => /^v1\.golden.*\.json$/.test(f))) {
  const payload: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  const hex = type.toBuffer(payload).toString('hex');
  writeFileSync(new URL(file.replace(/\.json$/, '.hex'), dir), `${hex}\n`);
  console.log(`${file}: ${hex.length / 2} bytes`);
}

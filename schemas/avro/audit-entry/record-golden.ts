/**
 * Records the golden bytes of v1 (Avro binary body, no Confluent framing) of every
 * `v1.golden*.json`, beside it as `.hex`. Run after changing a golden payload, never after
 * changing the schema (that is a new v2.avsc).
 *   npx tsx schemas/avro/audit-entry/record-golden.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { auditEntryAvroType } from '@flowledger/events';

const dir = new URL('./', import.meta.url);
const type = auditEntryAvroType();
for (const file of readdirSync(dir).filter((f) => /^v1\.golden.*\.json$/.test(f))) {
  const payload: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  const hex = type.toBuffer(payload).toString('hex');
  writeFileSync(new URL(file.replace(/\.json$/, '.hex'), dir), `${hex}\n`);
  console.log(`${file}: ${hex.length / 2} bytes`);
}

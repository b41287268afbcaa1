import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { loadStackConfig } from '@flowledger/config';

/** What every schema's registry test shares: the stack's registry, a plain Confluent client of it. */
export const registryUrl = loadStackConfig().schemaRegistry.url;
export const registry = new SchemaRegistry({ host: registryUrl });

/** A schema folder's v1 `.avsc` and golden record (the JSON the golden bytes were encoded from). */
export function schemaFiles<Golden>(folder: URL): { v1: { fields: Array<Record<string, unknown>> }; golden: Golden } {
  const read = (name: string) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as unknown;
  return {
    v1: read('v1.avsc') as { fields: Array<Record<string, unknown>> },
    golden: read('v1.golden.json') as Golden,
  };
}

/**
 * BACKWARD compatibility as the registry enforces it on `subject` (v1 registered already): a v2
 * adding `optional` (with a default) is accepted, one adding `required` (none) is refused —
 * a v2 reader could not read v1 records.
 */
export async function expectBackwardEvolution(
  subject: string,
  v1: { fields: Array<Record<string, unknown>> },
  fields: { optional: Record<string, unknown>; required: Record<string, unknown> },
): Promise<void> {
  const compatible = { ...v1, fields: [...v1.fields, fields.optional] };
  const incompatible = { ...v1, fields: [...v1.fields, fields.required] };
  const evolved = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(compatible) },
    { subject, compatibility: COMPATIBILITY.BACKWARD },
  );
  expect(evolved.id).toBeGreaterThan(0);
  await expect(
    registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject }),
  ).rejects.toThrow(/incompatible|409/i);
}

/**
 * The Confluent wire format of `bytes`: magic byte 0, then `subject`'s latest schema id; and a
 * client that knows nothing of our codecs decodes the same record.
 */
export async function expectConfluentRecord(bytes: Buffer, subject: string): Promise<Record<string, unknown>> {
  expect(bytes[0]).toBe(0);
  expect(bytes.readInt32BE(1)).toBe(await registry.getLatestSchemaId(subject));
  return (await registry.decode(bytes)) as Record<string, unknown>;
}

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { loadStackConfig } from '@flowledger/config';
import { createEventCodec, diagramEventsSubject, fromAvroRecord, type DiagramEventAvro } from '@flowledger/events';

const config = loadStackConfig();
const registry = new SchemaRegistry({ host: config.schemaRegistry.url });
const v1 = JSON.parse(readFileSync(new URL('v1.avsc', import.meta.url), 'utf8')) as {
  fields: Array<Record<string, unknown>>;
};
const golden = JSON.parse(readFileSync(new URL('v1.golden.json', import.meta.url), 'utf8')) as DiagramEventAvro;

// A plausible v2: an optional field with a default. New readers fill it in for old records.
const v2Compatible = {
  ...v1,
  fields: [...v1.fields, { name: 'lint_warning_count', type: ['null', 'int'], default: null }],
};
// A required field without a default: a v2 reader could not read v1 records, BACKWARD refuses it.
const v2Incompatible = { ...v1, fields: [...v1.fields, { name: 'review_id', type: 'string' }] };

describe('diagram-event v1 in the schema registry', () => {
  it('registers under the TopicNameStrategy subject with BACKWARD compatibility and round-trips the golden event', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const codec = createEventCodec({ registryUrl: config.schemaRegistry.url });
    const subject = diagramEventsSubject(tenant);
    const id = await codec.register(subject);
    expect(await codec.register(subject)).toBe(id);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);

    const event = { ...fromAvroRecord(golden), tenantId: tenant };
    const bytes = await codec.encode(event);
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await codec.decode(bytes)).toEqual(event);
    // a client that knows nothing of our codec reads the same record
    expect(((await registry.decode(bytes)) as DiagramEventAvro).result_hash).toBe(golden.result_hash);
  });

  it('gives every process the same schema id when several register a new subject at once', async () => {
    const subject = diagramEventsSubject(`t-${randomUUID().slice(0, 8)}`);
    const codecs = Array.from({ length: 6 }, () => createEventCodec({ registryUrl: config.schemaRegistry.url }));
    const ids = await Promise.all(codecs.map((c) => c.register(subject)));
    expect(new Set(ids).size).toBe(1);
  });

  it('accepts a compatible v2 sketch and refuses an incompatible one', async () => {
    const subject = diagramEventsSubject(`t-${randomUUID().slice(0, 8)}`);
    await createEventCodec({ registryUrl: config.schemaRegistry.url }).register(subject);

    const evolved = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(v2Compatible) },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    );
    expect(evolved.id).toBeGreaterThan(0);
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2Incompatible) }, { subject }),
    ).rejects.toThrow(/incompatible|409/i);
  });
});

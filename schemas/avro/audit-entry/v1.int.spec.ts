import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { loadStackConfig } from '@flowledger/config';
import { auditEntryFromAvro, auditSubject, createAuditCodec, type AuditEntryAvro } from '@flowledger/events';

const config = loadStackConfig();
const registry = new SchemaRegistry({ host: config.schemaRegistry.url });
const v1 = JSON.parse(readFileSync(new URL('v1.avsc', import.meta.url), 'utf8')) as {
  fields: Array<Record<string, unknown>>;
};
const golden = JSON.parse(readFileSync(new URL('v1.golden.json', import.meta.url), 'utf8')) as AuditEntryAvro;

describe('audit-entry v1 in the schema registry', () => {
  it('registers under the audit subject and round-trips the golden entry through any Confluent client', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const codec = createAuditCodec({ registryUrl: config.schemaRegistry.url });
    const entry = { ...auditEntryFromAvro(golden), tenantId: tenant };

    const bytes = await codec.encode(entry);

    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(await registry.getLatestSchemaId(auditSubject(tenant)));
    expect(await codec.decode(bytes)).toEqual(entry);
    expect(((await registry.decode(bytes)) as AuditEntryAvro).review_id).toBe(golden.review_id);
  });

  it('accepts a compatible v2 sketch and refuses an incompatible one (BACKWARD)', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    await createAuditCodec({ registryUrl: config.schemaRegistry.url }).encode({
      ...auditEntryFromAvro(golden),
      tenantId: tenant,
    });
    const subject = auditSubject(tenant);
    const compatible = {
      ...v1,
      fields: [...v1.fields, { name: 'request_id', type: ['null', 'string'], default: null }],
    };
    const incompatible = { ...v1, fields: [...v1.fields, { name: 'reviewer_email', type: 'string' }] };

    const evolved = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(compatible) },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    );
    expect(evolved.id).toBeGreaterThan(0);
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject }),
    ).rejects.toThrow(/incompatible|409/i);
  });
});

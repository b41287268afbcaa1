import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { loadStackConfig } from '@flowledger/config';
import {
  createSnapshotCodec,
  snapshotCreatedFromAvro,
  snapshotsSubject,
  type SnapshotCreatedAvro,
} from '@flowledger/events';

const config = loadStackConfig();
const registry = new SchemaRegistry({ host: config.schemaRegistry.url });
const v1 = JSON.parse(readFileSync(new URL('v1.avsc', import.meta.url), 'utf8')) as {
  fields: Array<Record<string, unknown>>;
};
const golden = JSON.parse(readFileSync(new URL('v1.golden.json', import.meta.url), 'utf8')) as SnapshotCreatedAvro;

describe('snapshot-created v1 in the schema registry', () => {
  it('registers under the snapshots subject and round-trips the golden event through any Confluent client', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const codec = createSnapshotCodec({ registryUrl: config.schemaRegistry.url });
    const event = { ...snapshotCreatedFromAvro(golden), tenantId: tenant };

    const bytes = await codec.encode(event);

    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(await registry.getLatestSchemaId(snapshotsSubject(tenant)));
    expect(await codec.decode(bytes)).toEqual(event);
    expect(((await registry.decode(bytes)) as SnapshotCreatedAvro).result_hash).toBe(golden.result_hash);
  });

  it('accepts a compatible v2 sketch and refuses an incompatible one (BACKWARD)', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    await createSnapshotCodec({ registryUrl: config.schemaRegistry.url }).encode({
      ...snapshotCreatedFromAvro(golden),
      tenantId: tenant,
    });
    const subject = snapshotsSubject(tenant);
    const compatible = {
      ...v1,
      fields: [...v1.fields, { name: 'element_count', type: ['null', 'long'], default: null }],
    };
    const incompatible = { ...v1, fields: [...v1.fields, { name: 'storage_url', type: 'string' }] };

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

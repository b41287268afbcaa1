import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { loadStackConfig } from '@flowledger/config';
import { createKafkaAdmin, createKafkaProducer } from '@flowledger/kafka';

const run = promisify(execFile);
const config = loadStackConfig();
const registry = new SchemaRegistry({ host: config.schemaRegistry.url });
const suffix = randomUUID().slice(0, 8);
const topic = `flowledger.interop-${suffix}.probe-events`;
const subject = `${topic}-value`;
const admin = createKafkaAdmin({ brokers: config.kafka.brokers, clientId: 'registry-test' });

const v1 = {
  type: 'record',
  name: 'Probe',
  namespace: 'dev.flowledger.test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'version', type: 'long' },
  ],
};
// Adds a field with a default: a BACKWARD-compatible change.
const v2 = { ...v1, fields: [...v1.fields, { name: 'note', type: 'string', default: '' }] };
// Adds a field without a default: new readers cannot read old records, so BACKWARD refuses it.
const incompatible = { ...v1, fields: [...v1.fields, { name: 'required', type: 'string' }] };

afterAll(async () => {
  await admin.deleteTopics([topic]).catch(() => undefined);
  await admin.close();
});

describe('schema registry (Confluent-compatible API) against the real server', () => {
  it('registers an Avro schema under BACKWARD compatibility and round-trips a record in the Confluent wire format', async () => {
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(v1) },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    );
    const record = { id: 'diagram-1', version: 7 };
    const encoded = await registry.encode(id, record);

    // Confluent wire format: magic byte 0, then the schema id as a 4-byte big-endian integer.
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    expect(await registry.decode(encoded)).toEqual(record);

    const again = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject });
    expect(again.id).toBe(id);
  });

  it('accepts a compatible evolution and refuses an incompatible one', async () => {
    const evolved = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject });
    expect(evolved.id).toBeGreaterThan(0);
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject }),
    ).rejects.toThrow(/incompatible|409/i);
  });

  it("lets Confluent's own Python client (AvroDeserializer + SchemaRegistryClient) decode what we produced", async () => {
    const id = await registry.getLatestSchemaId(subject);
    await admin.ensureTopics([{ name: topic, partitions: 1 }]);
    const producer = createKafkaProducer({ brokers: config.kafka.brokers, clientId: 'registry-test-producer' });
    const records = [1, 2, 3].map((version) => ({ id: 'diagram-1', version, note: `v${version}` }));
    await producer.send(
      await Promise.all(records.map(async (r) => ({ topic, key: r.id, value: await registry.encode(id, r) }))),
    );
    await producer.close();

    const { stdout } = await run(
      'var/venv/interop/bin/python',
      [
        'tests/interop/confluent_consume.py',
        '--brokers',
        config.kafka.brokers.join(','),
        '--registry',
        config.schemaRegistry.url,
        '--topic',
        topic,
        '--count',
        String(records.length),
      ],
      { timeout: 60_000 },
    );
    const decoded = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { key: string; value: unknown });
    expect(decoded.map((d) => d.key)).toEqual(['diagram-1', 'diagram-1', 'diagram-1']);
    expect(decoded.map((d) => d.value)).toEqual(records);
  });
});

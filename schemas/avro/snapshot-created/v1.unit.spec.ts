import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import {
  avroTypeOptions,
  snapshotCreatedFromAvro,
  snapshotCreatedToAvro,
  type SnapshotCreatedAvro,
} from '@flowledger/events';

const dir = new URL('./', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('v1.avsc', dir), 'utf8')) as avro.Schema;
const goldens = readdirSync(dir).filter((f) => /^v1\.golden.*\.json$/.test(f));

describe('snapshot-created v1 schema', () => {
  it('parses as dev.flowledger.events.SnapshotCreated and has a golden payload', () => {
    expect(avro.Type.forSchema(schema, avroTypeOptions()).name).toBe('dev.flowledger.events.SnapshotCreated');
    expect(goldens.length).toBeGreaterThanOrEqual(1);
  });

  it.each(goldens)('%s encodes to its recorded bytes, decodes back and maps to the domain form unchanged', (file) => {
    const type = avro.Type.forSchema(schema, avroTypeOptions());
    const payload = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as SnapshotCreatedAvro;
    const golden = Buffer.from(readFileSync(new URL(file.replace(/\.json$/, '.hex'), dir), 'utf8').trim(), 'hex');

    expect(type.toBuffer(payload).equals(golden)).toBe(true);
    expect(JSON.parse(JSON.stringify(type.fromBuffer(golden)))).toEqual(payload);
    const domain = snapshotCreatedFromAvro(type.fromBuffer(golden) as SnapshotCreatedAvro);
    expect(domain.createdAt).toBeInstanceOf(Date);
    expect(type.toBuffer(snapshotCreatedToAvro(domain)).equals(golden)).toBe(true);
  });
});

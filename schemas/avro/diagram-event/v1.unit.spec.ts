import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import { avroTypeOptions, fromAvroRecord, toAvroRecord, type DiagramEventAvro } from '@flowledger/events';

const dir = new URL('./', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('v1.avsc', dir), 'utf8')) as avro.Schema;
const goldens = readdirSync(dir).filter((f) => /^v1\.golden.*\.json$/.test(f));

describe('diagram-event v1 schema', () => {
  it('parses with avsc as the record dev.flowledger.events.DiagramEvent', () => {
    const type = avro.Type.forSchema(schema, avroTypeOptions());
    expect(type.name).toBe('dev.flowledger.events.DiagramEvent');
    expect(goldens.length).toBeGreaterThanOrEqual(2);
  });

  it.each(goldens)('%s encodes to its recorded bytes and decodes back', (file) => {
    // given a golden payload and the bytes recorded for it
    const type = avro.Type.forSchema(schema, avroTypeOptions());
    const payload = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as DiagramEventAvro;
    const golden = Buffer.from(readFileSync(new URL(file.replace(/\.json$/, '.hex'), dir), 'utf8').trim(), 'hex');

    // then encoding reproduces them byte for byte, and decoding gives the payload back
    expect(type.toBuffer(payload).equals(golden)).toBe(true);
    expect(JSON.parse(JSON.stringify(type.fromBuffer(golden)))).toEqual(payload);
  });

  it.each(goldens)('%s maps to the domain form and back unchanged', (file) => {
    const type = avro.Type.forSchema(schema, avroTypeOptions());
    const golden = Buffer.from(readFileSync(new URL(file.replace(/\.json$/, '.hex'), dir), 'utf8').trim(), 'hex');
    const decoded = type.fromBuffer(golden) as DiagramEventAvro;
    const domain = fromAvroRecord(decoded);
    expect(domain.occurredAt).toBeInstanceOf(Date);
    expect(type.toBuffer(toAvroRecord(domain)).equals(golden)).toBe(true);
  });
});

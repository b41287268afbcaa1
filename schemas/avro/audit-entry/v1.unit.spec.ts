import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import { auditEntryFromAvro, auditEntryToAvro, avroTypeOptions, type AuditEntryAvro } from '@flowledger/events';

const dir = new URL('./', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('v1.avsc', dir), 'utf8')) as avro.Schema;
const goldens = readdirSync(dir).filter((f) => /^v1\.golden.*\.json$/.test(f));

describe('audit-entry v1 schema', () => {
  it('parses as dev.flowledger.events.AuditEntry and has golden payloads', () => {
    expect(avro.Type.forSchema(schema, avroTypeOptions()).name).toBe('dev.flowledger.events.AuditEntry');
    expect(goldens.length).toBeGreaterThanOrEqual(2);
  });

  it.each(goldens)('%s encodes to its recorded bytes, decodes back and maps to the domain form unchanged', (file) => {
    const type = avro.Type.forSchema(schema, avroTypeOptions());
    const payload = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as AuditEntryAvro;
    const golden = Buffer.from(readFileSync(new URL(file.replace(/\.json$/, '.hex'), dir), 'utf8').trim(), 'hex');

    expect(type.toBuffer(payload).equals(golden)).toBe(true);
    expect(JSON.parse(JSON.stringify(type.fromBuffer(golden)))).toEqual(payload);
    const domain = auditEntryFromAvro(type.fromBuffer(golden) as AuditEntryAvro);
    expect(domain.at).toBeInstanceOf(Date);
    expect(domain.version).toBe(payload.version);
    expect(type.toBuffer(auditEntryToAvro(domain)).equals(golden)).toBe(true);
  });
});

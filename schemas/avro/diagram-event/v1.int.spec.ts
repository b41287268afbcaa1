import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEventCodec, diagramEventsSubject, fromAvroRecord, type DiagramEventAvro } from '@flowledger/events';
import { expectBackwardEvolution, expectConfluentRecord, registryUrl, schemaFiles } from '../registry-contract.js';

const { v1, golden } = schemaFiles<DiagramEventAvro>(new URL('./', import.meta.url));

describe('diagram-event v1 in the schema registry', () => {
  it('registers under the TopicNameStrategy subject with BACKWARD compatibility and round-trips the golden event', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const codec = createEventCodec({ registryUrl });
    const subject = diagramEventsSubject(tenant);
    const id = await codec.register(subject);
    expect(await codec.register(subject)).toBe(id);

    const event = { ...fromAvroRecord(golden), tenantId: tenant };
    const bytes = await codec.encode(event);
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await codec.decode(bytes)).toEqual(event);
    expect((await expectConfluentRecord(bytes, subject)).result_hash).toBe(golden.result_hash);
  });

  it('decodes many records at once as one by one, from a fresh codec, and names a damaged one', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const events = [1, 2, 3].map((version) => ({ ...fromAvroRecord(golden), tenantId: tenant, version }));
    const bytes = await Promise.all(events.map((e) => createEventCodec({ registryUrl }).encode(e)));

    const reader = createEventCodec({ registryUrl }); // has seen no schema id yet
    expect(await reader.decodeAll(bytes)).toEqual(events);
    expect(await reader.decodeAll([])).toEqual([]);

    const truncated = bytes[1]!.subarray(0, bytes[1]!.length - 8);
    await expect(reader.decodeAll([bytes[0]!, truncated])).rejects.toMatchObject({
      code: 'UNDECODABLE_RECORD',
      retriable: false,
    });
    const unknownId = Buffer.from(bytes[0]!);
    unknownId.writeInt32BE(2_000_000_000, 1);
    await expect(reader.decode(unknownId)).rejects.toMatchObject({ code: 'UNDECODABLE_RECORD' });
  });

  it('gives every process the same schema id when several register a new subject at once', async () => {
    const subject = diagramEventsSubject(`t-${randomUUID().slice(0, 8)}`);
    const codecs = Array.from({ length: 6 }, () => createEventCodec({ registryUrl }));
    const ids = await Promise.all(codecs.map((c) => c.register(subject)));
    expect(new Set(ids).size).toBe(1);
  });

  it('accepts a compatible v2 sketch and refuses an incompatible one', async () => {
    const subject = diagramEventsSubject(`t-${randomUUID().slice(0, 8)}`);
    await createEventCodec({ registryUrl }).register(subject);
    // An optional field with a default: new readers fill it in for old records. A required one
    // without a default: a v2 reader could not read v1 records, BACKWARD refuses it.
    await expectBackwardEvolution(subject, v1, {
      optional: { name: 'lint_warning_count', type: ['null', 'int'], default: null },
      required: { name: 'review_id', type: 'string' },
    });
  });
});

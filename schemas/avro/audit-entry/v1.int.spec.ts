import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntryFromAvro, auditSubject, createAuditCodec, type AuditEntryAvro } from '@flowledger/events';
import { expectBackwardEvolution, expectConfluentRecord, registryUrl, schemaFiles } from '../registry-contract.js';

const { v1, golden } = schemaFiles<AuditEntryAvro>(new URL('./', import.meta.url));

describe('audit-entry v1 in the schema registry', () => {
  it('registers under the audit subject and round-trips the golden entry through any Confluent client', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const codec = createAuditCodec({ registryUrl });
    const entry = { ...auditEntryFromAvro(golden), tenantId: tenant };

    const bytes = await codec.encode(entry);

    expect(await codec.decode(bytes)).toEqual(entry);
    expect((await expectConfluentRecord(bytes, auditSubject(tenant))).review_id).toBe(golden.review_id);
  });

  it('accepts a compatible v2 sketch and refuses an incompatible one (BACKWARD)', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    await createAuditCodec({ registryUrl }).encode({ ...auditEntryFromAvro(golden), tenantId: tenant });
    await expectBackwardEvolution(auditSubject(tenant), v1, {
      optional: { name: 'request_id', type: ['null', 'string'], default: null },
      required: { name: 'reviewer_email', type: 'string' },
    });
  });
});

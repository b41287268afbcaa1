import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createSnapshotCodec,
  snapshotCreatedFromAvro,
  snapshotsSubject,
  type SnapshotCreatedAvro,
} from '@flowledger/events';
import { expectBackwardEvolution, expectConfluentRecord, registryUrl, schemaFiles } from '../registry-contract.js';

const { v1, golden } = schemaFiles<SnapshotCreatedAvro>(new URL('./', import.meta.url));

describe('snapshot-created v1 in the schema registry', () => {
  it('registers under the snapshots subject and round-trips the golden event through any Confluent client', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const codec = createSnapshotCodec({ registryUrl });
    const event = { ...snapshotCreatedFromAvro(golden), tenantId: tenant };

    const bytes = await codec.encode(event);

    expect(await codec.decode(bytes)).toEqual(event);
    expect((await expectConfluentRecord(bytes, snapshotsSubject(tenant))).result_hash).toBe(golden.result_hash);
  });

  it('accepts a compatible v2 sketch and refuses an incompatible one (BACKWARD)', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    await createSnapshotCodec({ registryUrl }).encode({ ...snapshotCreatedFromAvro(golden), tenantId: tenant });
    await expectBackwardEvolution(snapshotsSubject(tenant), v1, {
      optional: { name: 'element_count', type: ['null', 'long'], default: null },
      required: { name: 'storage_url', type: 'string' },
    });
  });
});

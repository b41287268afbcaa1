import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { auditTopic, diagramEventsSubject, diagramEventsTopic } from '@flowledger/events';
import type { TopicRecordLine } from '../../cli/src/recovery/backup/backup-format.js';
import { readNdjsonGzip } from '../../cli/src/recovery/backup/ndjson-gzip.js';
import { destroyTenant, resetReadModels, reviewRows } from './dr-drill-state.js';
import { flowledger, ROOT } from './recovery-fixtures.js';
import { latestSchemaId, ledgerRows, topicRecords } from './tenant-state.js';

// Backups that operators already hold keep restoring: a format-1 backup recorded by the release
// before reviews were backed up (tests/fixtures/backup-v1) restores into the stack, every record
// and row as its files hold them, and the tool says that reviews and audit log were not in it.
const FIXTURE = join(ROOT, 'tests', 'fixtures', 'backup-v1');
const tenant = 't-backup-v1-golden';
const config = loadStackConfig();
const pool = new pg.Pool({ connectionString: config.postgres.url, max: 2 });

async function lines<T>(file: string): Promise<T[]> {
  const out: T[] = [];
  for await (const line of readNdjsonGzip<T>(join(FIXTURE, file))) out.push(line);
  return out;
}

beforeAll(async () => {
  // The fixture names its tenant: what an earlier run of this file restored goes first.
  await destroyTenant(pool, tenant);
  await resetReadModels(pool, tenant);
}, 60_000);

afterAll(async () => {
  await pool.end();
});

describe('restore of a format-1 backup', () => {
  it('restores its topic and ledger as the files hold them, and says that it holds no reviews or audit log', async () => {
    const restored = await flowledger(['restore', '--from', FIXTURE]);

    expect(restored.code).toBe(0);
    expect(restored.stderr).toMatch(
      /note: backup format flowledger-backup\/1 \(older\): it holds no review or audit data, so the tenant's pending reviews, decided reviews and audit log are not restored/,
    );
    expect(restored.stdout).toContain(`restored ${tenant} (flowledger-backup/1)`);

    const backedUp = await lines<TopicRecordLine>('topics/diagram-events.ndjson.gz');
    const records = await topicRecords(diagramEventsTopic(tenant));
    expect(records.map(({ schemaId: _, ...r }) => r)).toEqual(
      backedUp.map((l) => ({
        partition: l.partition,
        offset: l.offset,
        key: l.key,
        headers: l.headers,
        body: Buffer.from(l.value, 'base64').subarray(5).toString('hex'),
      })),
    );
    expect(new Set(records.map((r) => r.schemaId))).toEqual(
      new Set([await latestSchemaId(diagramEventsSubject(tenant))]),
    );
    // A column the ledger gained since (generated: the number of lint warnings) is computed again.
    const events = await lines<{ lint_warnings: unknown[] }>('ledger/ledger_events.ndjson.gz');
    expect(await ledgerRows(pool, tenant)).toEqual({
      diagrams: await lines('ledger/diagrams.ndjson.gz'),
      events: events.map((e) => ({ ...e, lint_warning_count: e.lint_warnings.length })),
    });
    expect(await topicRecords(auditTopic(tenant))).toEqual([]);
    expect(await reviewRows(pool, tenant)).toEqual({ reviews: [], audit: [] });
  }, 120_000);

  it('rebuilds and verifies like any restored tenant, with an empty audit log', async () => {
    expect((await flowledger(['rebuild', '--read-model', 'all', '--tenant', tenant])).code).toBe(0);

    const verified = await flowledger(['verify', '--tenant', tenant]);

    const [diagrams, events] = [
      await lines('ledger/diagrams.ndjson.gz'),
      await lines('ledger/ledger_events.ndjson.gz'),
    ];
    expect(verified.stdout).toContain(`verified ${diagrams.length} diagrams (${events.length} events)`);
    expect(verified.stdout).toContain(
      `audit log of ${tenant}: 0 reviews, 0 entries (0 not published yet), 0 topic records`,
    );
    expect(verified.code).toBe(0);
  }, 120_000);
});

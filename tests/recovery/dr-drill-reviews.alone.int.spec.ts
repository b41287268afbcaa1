import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { loadStackConfig } from '@flowledger/config';
import { auditSubject, auditTopic, diagramEventsSubject, diagramEventsTopic, snapshotsTopic } from '@flowledger/events';
import { startCommandService, type CommandServiceProcess } from '../support/command-service-process.js';
import { devToken, ModelingClient, randomTx } from '../support/modeling-client.js';
import { rename, task } from '../support/proposal-operations.js';
import { ReviewClient } from '../support/review-client.js';
import { clientFor, uniqueTenant } from '../support/test-tenant.js';
import { destroyTenant, resetReadModels, reviewRows, tenantTopics } from './dr-drill-state.js';
import { buildDiagram, flowledger, retryUnavailable } from './recovery-fixtures.js';
import { latestSchemaId, ledgerRows, topicRecords, type RecordCopy } from './tenant-state.js';

// The DR drill of the agent review queue and its audit log (DESIGN.md §8): a tenant under review
// with an applied, a rejected and two waiting agent proposals is backed up, destroyed (topics,
// subjects, ledger, review and audit rows), restored identical, verified, and its waiting
// reviews can still be decided afterwards.
const config = loadStackConfig();
const tenant = uniqueTenant('dr-reviews');
const runId = `run-dr-${Date.now()}`;
const pool = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
const ids = { d1: '', d2: '', approved: '', rejected: '', waiting1: '', waiting2: '' };
let service: CommandServiceProcess | undefined;
let workDir: string;
let backupDir: string;

interface Before {
  events: RecordCopy[];
  snapshots: RecordCopy[];
  audit: RecordCopy[];
  ledger: Awaited<ReturnType<typeof ledgerRows>>;
  reviews: Awaited<ReturnType<typeof reviewRows>>;
}
let before: Before;

/** A command service of its own that holds the tenant's agent proposals for review, with its clients. */
async function startReviewing() {
  service = await startCommandService('dr-drill-reviews', {
    FLOWLEDGER_AGENT_REVIEW_POLICY: JSON.stringify({ [tenant]: 'review' }),
  });
  const bot = new ModelingClient(devToken(tenant, 'planner-bot', ['agent']), {
    address: service.address,
    headers: { 'x-run-id': runId },
  });
  const rita = new ReviewClient(devToken(tenant, 'rita', ['reviewer']), { address: service.address });
  return { bot, rita, close: () => [bot, rita].forEach((c) => c.close()) };
}

/** Waits until every audit entry of the tenant is marked published and on its topic (the relay runs every 5 s). */
async function untilAuditPublished(): Promise<void> {
  for (const deadline = Date.now() + 30_000; ;) {
    const { rows } = await pool.query<{ waiting: string; entries: string }>(
      `SELECT count(*) FILTER (WHERE published_at IS NULL) AS waiting, count(*) AS entries
         FROM audit_entries WHERE tenant_id = $1`,
      [tenant],
    );
    const onTopic = (await topicRecords(auditTopic(tenant))).length;
    if (rows[0]!.waiting === '0' && onTopic === Number(rows[0]!.entries)) return;
    if (Date.now() > deadline)
      throw new Error(`audit entries of ${tenant} not published: ${JSON.stringify(rows[0])}, ${onTopic} on the topic`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * `verify --tenant` until it passes (or 90 s went by): it also checks that the live read models
 * (projectors, snapshotter) have applied the ledger's current version, which lags a restore or
 * a new version by a moment. An audit problem does not go away by waiting.
 */
async function verifiedOnceCaughtUp(): Promise<{ code: number; stdout: string; stderr: string }> {
  for (const deadline = Date.now() + 90_000; ;) {
    const verified = await flowledger(['verify', '--tenant', tenant]);
    if (verified.code === 0 || Date.now() > deadline) return verified;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'flowledger-dr-reviews-'));
  backupDir = join(workDir, 'backup');
  const { bot, rita, close } = await startReviewing();
  const alice = clientFor(tenant, 'alice', ['editor', 'viewer'], service!.address);
  const held = async (diagramId: string, base: number, operations: Operation[]) => {
    const tx = randomTx();
    const answer = await retryUnavailable(() => bot.propose(diagramId, base, operations, tx));
    if (answer.result !== 'rejected' || !answer.rejected.reviewId) throw new Error(`setup: ${JSON.stringify(answer)}`);
    return answer.rejected.reviewId;
  };
  try {
    ids.d1 = await buildDiagram(alice, 'reviewed', 3);
    ids.d2 = await buildDiagram(alice, 'waiting', 2);
    ids.approved = await held(ids.d1, 3, [task('x', 900, 'Added by the agent')]);
    const approval = await rita.approve(ids.approved, randomTx());
    if (approval.result !== 'applied') throw new Error(`setup: ${JSON.stringify(approval)}`);
    ids.rejected = await held(ids.d1, 4, [rename('Task_2_1', 'Skip the checks')]);
    await rita.reject(ids.rejected, 'checks are mandatory');
    ids.waiting1 = await held(ids.d1, 4, [task('y', 1100, 'Later')]);
    ids.waiting2 = await held(ids.d2, 2, [task('z', 900, 'Also later')]);
    await untilAuditPublished();
  } finally {
    alice.close();
    close();
  }
}, 240_000);

afterAll(async () => {
  await service?.stop();
  await pool.end();
  await rm(workDir, { recursive: true, force: true });
});

describe('disaster recovery of the review queue and the audit log', () => {
  it('backs up the audit topic and the review and audit rows with the rest, format 2', async () => {
    before = {
      events: await topicRecords(diagramEventsTopic(tenant)),
      snapshots: await topicRecords(snapshotsTopic(tenant)),
      audit: await topicRecords(auditTopic(tenant)),
      ledger: await ledgerRows(pool, tenant),
      reviews: await reviewRows(pool, tenant),
    };
    const statuses = before.reviews.reviews.map((r) => (r as { status: string }).status).sort();
    expect(statuses).toEqual(['APPLIED', 'PENDING', 'PENDING', 'REJECTED']);
    expect(before.audit).toHaveLength(before.reviews.audit.length);

    const backup = await flowledger(['backup', '--tenant', tenant, '--out', backupDir]);

    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`4 reviews, ${before.reviews.audit.length} audit entries`);
    const manifest = JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('flowledger-backup/2');
    expect(manifest.topics[auditTopic(tenant)]).toMatchObject({ kind: 'audit', records: before.audit.length });
    expect(manifest.reviews).toMatchObject({ reviews: 4, auditEntries: before.reviews.audit.length });
    expect(manifest.schemas.subjects).toContain(auditSubject(tenant));
    const sums = await readFile(join(backupDir, 'SHA256SUMS'), 'utf8');
    for (const file of [
      'topics/audit.ndjson.gz',
      'reviews/proposal_reviews.ndjson.gz',
      'reviews/audit_entries.ndjson.gz',
    ])
      expect(sums).toContain(`  ${file}\n`);
  }, 60_000);

  it('destroys the tenant: topics, subjects, ledger, review and audit rows', async () => {
    await service?.stop();
    service = undefined;
    await destroyTenant(pool, tenant);

    for (const topic of tenantTopics(tenant)) expect(await topicRecords(topic)).toEqual([]);
    expect(await reviewRows(pool, tenant)).toEqual({ reviews: [], audit: [] });
    expect((await ledgerRows(pool, tenant)).events).toEqual([]);
  }, 60_000);

  it('restores the audit topic, the reviews and the audit log identical in content and order', async () => {
    const restored = await flowledger(['restore', '--from', backupDir]);
    expect(restored.stderr).not.toMatch(/error|note:/i);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`(flowledger-backup/2)`);

    const withoutIds = (records: RecordCopy[]) => records.map(({ schemaId: _, ...rest }) => rest);
    const audit = await topicRecords(auditTopic(tenant));
    expect(withoutIds(audit)).toEqual(withoutIds(before.audit));
    expect(new Set(audit.map((r) => r.schemaId))).toEqual(new Set([await latestSchemaId(auditSubject(tenant))]));
    expect(withoutIds(await topicRecords(diagramEventsTopic(tenant)))).toEqual(withoutIds(before.events));
    expect(withoutIds(await topicRecords(snapshotsTopic(tenant)))).toEqual(withoutIds(before.snapshots));
    expect(await latestSchemaId(diagramEventsSubject(tenant))).toBeDefined();
    expect(await ledgerRows(pool, tenant)).toEqual(before.ledger);
    expect(await reviewRows(pool, tenant)).toEqual(before.reviews);

    const again = await flowledger(['restore', '--from', backupDir]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/already exists.*audit/);
  }, 120_000);

  it('verify finds the audit topic and the audit table in agreement', async () => {
    const verified = await verifiedOnceCaughtUp();

    expect(verified.stdout).toContain(
      `audit log of ${tenant}: 4 reviews, ${before.reviews.audit.length} entries (0 not published yet), ` +
        `${before.audit.length} topic records`,
    );
    expect(verified.stdout).toContain('OK');
    expect(verified.code).toBe(0);
  }, 120_000);

  it('keeps the restored reviews waiting: approving one applies it and continues the audit log after them', async () => {
    const { rita, close } = await startReviewing();
    try {
      expect((await rita.listPending()).map((p) => p.reviewId).sort()).toEqual([ids.waiting1, ids.waiting2].sort());
      const approval = await rita.approve(ids.waiting1, randomTx());
      expect(approval.result).toBe('applied');
      await untilAuditPublished();
    } finally {
      close();
    }

    const after = await reviewRows(pool, tenant);
    const seqOf = (r: unknown) => BigInt((r as { seq: number }).seq);
    expect(after.audit.slice(0, before.reviews.audit.length)).toEqual(before.reviews.audit);
    const added = after.audit.slice(before.reviews.audit.length) as Array<{ action: string; review_id: string }>;
    expect(added.map((r) => [r.action, r.review_id])).toEqual([
      ['APPROVED', ids.waiting1],
      ['APPLIED', ids.waiting1],
    ]);
    const restoredMax = before.reviews.audit.map(seqOf).reduce((a, b) => (a > b ? a : b));
    expect(added.every((r) => seqOf(r) > restoredMax)).toBe(true);
    const audit = await topicRecords(auditTopic(tenant));
    expect(audit.slice(0, before.audit.length).map((r) => r.body)).toEqual(before.audit.map((r) => r.body));
    expect(audit).toHaveLength(before.audit.length + 2);

    const verified = await verifiedOnceCaughtUp();
    expect(verified.stdout).toContain(`audit log of ${tenant}: 4 reviews, ${after.audit.length} entries`);
    expect(verified.code).toBe(0);
  }, 180_000);

  it('verify exits non-zero and names the entry and the review when an audit row was changed', async () => {
    const { rows } = await pool.query<{ reason: string }>(
      `UPDATE audit_entries SET reason = 'tampered' WHERE tenant_id = $1 AND review_id = $2 AND action = 'REJECTED'
       RETURNING (SELECT reason FROM proposal_reviews WHERE tenant_id = $1 AND review_id = $2) AS reason`,
      [tenant, ids.rejected],
    );

    const verified = await flowledger(['verify', '--tenant', tenant]);

    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`MISMATCH ${tenant} audit:`);
    expect(verified.stdout).toContain(`reason is ${JSON.stringify(rows[0]!.reason)}, audit_entries has "tampered"`);
    expect(verified.stdout).toContain(`review ${ids.rejected}: REJECTED because "tampered"`);
    expect(verified.stdout).toMatch(/FAILED: .*, 1 audit log\(s\) with problems/);
  }, 120_000);

  it("restores into a stack where another tenant holds one of its audit seqs: all move past the table's, same order", async () => {
    await service?.stop();
    service = undefined;
    await destroyTenant(pool, tenant);
    // They hold the version approved after the backup; rebuilt from the restored streams below.
    await resetReadModels(pool, tenant);
    const squatter = uniqueTenant('dr-squat');
    const taken = (before.reviews.audit[1] as { seq: number }).seq;
    await pool.query(
      `INSERT INTO proposal_reviews (tenant_id, review_id, diagram_id, base_version, transaction_id, actor_id,
         actor_roles, run_id, operations, submitted_at, status)
       VALUES ($1, 'r', 'd', 1, 'tx', 'bot', '{agent}', 'run', '[]', now(), 'PENDING')`,
      [squatter],
    );
    await pool.query(
      `INSERT INTO audit_entries (seq, entry_id, tenant_id, at, actor_id, actor_kind, action, review_id, diagram_id, run_id)
       VALUES ($2, $1 || '-e', $1, now(), 'bot', 'AGENT', 'SUBMITTED', 'r', 'd', 'run')`,
      [squatter, taken],
    );
    try {
      const restored = await flowledger(['restore', '--from', backupDir, '--json']);
      expect(restored.code).toBe(0);
      const shift = BigInt(JSON.parse(restored.stdout).auditSeqShift as string);
      expect(shift).toBeGreaterThan(0n);

      const after = await reviewRows(pool, tenant);
      expect(after.reviews).toEqual(before.reviews.reviews);
      expect(after.audit).toEqual(
        before.reviews.audit.map((r) => ({
          ...(r as object),
          seq: Number(BigInt((r as { seq: number }).seq) + shift),
        })),
      );
      const highest = await pool.query<{ max: string }>('SELECT max(seq) AS max FROM audit_entries');
      const next = await pool.query<{ seq: string }>(
        `SELECT nextval(pg_get_serial_sequence('audit_entries', 'seq')) AS seq`,
      );
      expect(BigInt(next.rows[0]!.seq)).toBeGreaterThan(BigInt(highest.rows[0]!.max));
      expect((await flowledger(['rebuild', '--read-model', 'all', '--tenant', tenant])).code).toBe(0);
      const verified = await verifiedOnceCaughtUp();
      expect(verified.stdout).toContain(`audit log of ${tenant}: 4 reviews, ${before.reviews.audit.length} entries`);
      expect(verified.code).toBe(0);
    } finally {
      await pool.query('DELETE FROM audit_entries WHERE tenant_id = $1', [squatter]);
      await pool.query('DELETE FROM proposal_reviews WHERE tenant_id = $1', [squatter]);
    }
  }, 180_000);
});

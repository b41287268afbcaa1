import { describe, expect, it } from 'vitest';
import type { AuditEntryEvent } from '@flowledger/events';
import {
  verifyAudit,
  type AuditEvidence,
  type AuditRowFacts,
  type AuditTopicRecord,
  type ReviewFacts,
} from './verify-audit.js';

// Given one tenant's three reviews of diagram d1, as the review code writes them: one waiting,
// one rejected, one approved and applied as v3 (transaction tx-c), and their audit topic.
const T = 'acme';
const review = (id: string, over: Partial<ReviewFacts>): ReviewFacts => ({
  reviewId: id,
  diagramId: 'd1',
  transactionId: `tx-${id}`,
  actorId: 'bot',
  runId: 'run-1',
  baseVersion: 2,
  status: 'PENDING',
  decidedBy: null,
  reason: null,
  appliedVersion: null,
  ...over,
});
const row = (seq: number, reviewId: string, action: string, over: Partial<AuditRowFacts> = {}): AuditRowFacts => ({
  seq: String(seq),
  entryId: `e${seq}`,
  at: 1_700_000_000_000 + seq,
  actorId: action === 'SUBMITTED' ? 'bot' : 'rita',
  actorKind: action === 'SUBMITTED' ? 'AGENT' : 'USER',
  action,
  reviewId,
  diagramId: 'd1',
  version: action === 'SUBMITTED' ? 2 : action === 'APPLIED' ? 3 : null,
  runId: 'run-1',
  reason: action === 'REJECTED' ? 'no' : '',
  published: true,
  ...over,
});
const record = (r: AuditRowFacts, offset: number): AuditTopicRecord => {
  const entry: AuditEntryEvent = {
    eventSchemaVersion: 1,
    entryId: r.entryId,
    tenantId: T,
    at: new Date(r.at),
    actorId: r.actorId,
    actorKind: r.actorKind as 'USER' | 'AGENT',
    action: r.action as AuditEntryEvent['action'],
    reviewId: r.reviewId,
    diagramId: r.diagramId,
    version: r.version,
    runId: r.runId,
    reason: r.reason,
  };
  return {
    partition: 0,
    offset: String(offset),
    key: r.diagramId,
    headers: { 'tenant-id': T, 'event-type': `AUDIT_${r.action}` },
    entry,
  };
};

function given(): AuditEvidence {
  const entries = [
    row(1, 'a', 'SUBMITTED'),
    row(2, 'b', 'SUBMITTED'),
    row(3, 'c', 'SUBMITTED'),
    row(5, 'b', 'REJECTED'),
    row(6, 'c', 'APPROVED'),
    row(9, 'c', 'APPLIED'),
  ];
  return {
    tenantId: T,
    reviews: [
      review('a', {}),
      review('b', { status: 'REJECTED', decidedBy: 'rita', reason: 'no' }),
      review('c', { status: 'APPLIED', decidedBy: 'rita', appliedVersion: 3 }),
    ],
    entries,
    lateEntries: [],
    topic: entries.map(record),
    ledgerTransactions: new Map([['d1@3', 'tx-c']]),
  };
}

const problemsOf = (e: AuditEvidence) => verifyAudit(e).problems;

describe('verifyAudit', () => {
  it('passes the log as the review code writes it', () => {
    expect(verifyAudit(given())).toEqual({
      tenantId: T,
      reviews: 3,
      entries: 6,
      records: 6,
      duplicates: 0,
      unpublished: 0,
      problems: [],
    });
  });

  it('accepts what the outbox allows: an entry sent twice, another review first, an unpublished tail', () => {
    const e = given();
    const [s1, s2, s3, r5, a6] = e.topic!;
    e.topic = [s2!, s1!, s3!, r5!, a6!, { ...s3!, offset: '9' }]; // c's APPLIED not sent yet
    e.entries[5] = { ...e.entries[5]!, published: false };

    expect(verifyAudit(e)).toMatchObject({ duplicates: 1, unpublished: 1, problems: [] });
  });

  it('names an entry marked published that the topic does not hold, and a missing topic', () => {
    const e = given();
    e.topic = e.topic!.filter((r) => r.offset !== '4');
    expect(problemsOf(e)).toEqual([
      'audit topic: entry e6 (seq 6, APPROVED of review c) is marked published but not there',
    ]);

    expect(problemsOf({ ...given(), topic: undefined })).toEqual([
      'audit topic: does not exist, and 6 entries are marked published',
    ]);
  });

  it("names a review's entries out of order on the topic", () => {
    const e = given();
    const t = e.topic!;
    e.topic = [t[0]!, t[1]!, t[2]!, t[3]!, t[5]!, t[4]!];

    expect(problemsOf(e)).toEqual([
      'audit topic p0@4: APPROVED of review c comes after a later entry of that review (seq 6)',
    ]);
  });

  it('names a record whose content differs from its row, one the table lacks, and a wrong key', () => {
    const e = given();
    const rejected = e.topic![3]!;
    e.topic![3] = { ...rejected, entry: { ...(rejected.entry as AuditEntryEvent), reason: 'yes' } };
    e.topic!.push(record(row(11, 'a', 'APPROVED'), 6), { ...record(e.entries[0]!, 7), key: 'd2' });
    e.topic!.push({ partition: 0, offset: '8', key: 'd1', headers: {}, entry: { error: 'unknown schema id 77' } });

    expect(problemsOf(e)).toEqual([
      'audit topic p0@3: entry e5: reason is "yes", audit_entries has "no"',
      'audit topic p0@6: entry e11 (APPROVED of review a) is not in audit_entries',
      "audit topic p0@7: key d2, the entry's diagram is d1",
      'audit topic p0@8: does not decode: unknown schema id 77',
    ]);
  });

  it('takes an entry written after the table was read from lateEntries', () => {
    const e = given();
    const late = row(12, 'a', 'APPROVED');
    e.topic!.push(record(late, 6));
    e.lateEntries = [late];

    expect(problemsOf(e)).toEqual([]);
  });

  it("names a review whose status or entries do not follow the review's life", () => {
    const e = given();
    e.reviews[0] = { ...e.reviews[0]!, status: 'APPROVED', decidedBy: 'rita' };
    e.entries = e.entries.filter((r) => r.seq !== '6'); // c: APPLIED straight after SUBMITTED
    e.topic = e.entries.map(record);

    expect(problemsOf(e)).toEqual([
      'review a: status APPROVED, its audit entries end with SUBMITTED (PENDING)',
      'review c: APPLIED (seq 9) after SUBMITTED',
    ]);
  });

  it('names a review with no entries, entries without a review, and a rejection whose actor or reason differ', () => {
    const e = given();
    e.reviews.push(review('z', {}));
    e.reviews[1] = { ...e.reviews[1]!, decidedBy: 'otto', reason: 'never' };
    e.entries.push(row(20, 'ghost', 'SUBMITTED', { published: false }));

    expect(problemsOf(e)).toEqual([
      'review b: REJECTED by rita, the review was decided by otto',
      'review b: REJECTED because "no", the review\'s reason is "never"',
      'review z: status PENDING, its audit entries end with none (no status)',
      'audit_entries: 1 entries name review ghost, which is not in proposal_reviews',
    ]);
  });

  it('checks an APPLIED entry against the review outcome and the ledger transaction of that version', () => {
    const other = given();
    other.ledgerTransactions = new Map([['d1@3', 'tx-someone-else']]);
    expect(problemsOf(other)).toEqual([
      "review c: APPLIED as v3, the ledger's v3 is transaction tx-someone-else, not the review's tx-c",
    ]);

    const none = given();
    none.ledgerTransactions = new Map();
    expect(problemsOf(none)).toEqual(['review c: APPLIED as v3, the ledger has no v3 of diagram d1']);

    const outcome = given();
    outcome.reviews[2] = { ...outcome.reviews[2]!, appliedVersion: 4 };
    expect(problemsOf(outcome)).toEqual(["review c: APPLIED names v3, the review's outcome v4"]);
  });
});

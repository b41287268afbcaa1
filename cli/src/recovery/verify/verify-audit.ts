import type { AuditEntryEvent } from '@flowledger/events';

/** One `audit_entries` row, as verify compares it. */
export interface AuditRowFacts {
  seq: string;
  entryId: string;
  /** Milliseconds (the topic's timestamp-millis; the command service's clock gives no finer time). */
  at: number;
  actorId: string;
  actorKind: string;
  action: string;
  reviewId: string;
  diagramId: string;
  version: number | null;
  runId: string;
  reason: string;
  published: boolean;
}

/** One `proposal_reviews` row, as verify compares it. */
export interface ReviewFacts {
  reviewId: string;
  diagramId: string;
  transactionId: string;
  actorId: string;
  runId: string;
  baseVersion: number;
  status: string;
  decidedBy: string | null;
  reason: string | null;
  /** The version an APPLIED review became (its outcome). */
  appliedVersion: number | null;
}

export interface AuditTopicRecord {
  partition: number;
  offset: string;
  key: string;
  headers: Record<string, string>;
  /** The decoded entry, or why it did not decode. */
  entry: AuditEntryEvent | { error: string };
}

/** What verify knows of one tenant's review audit log, gathered by the caller. */
export interface AuditEvidence {
  tenantId: string;
  reviews: ReviewFacts[];
  /** In seq order, as one snapshot with the reviews (read before the topic). */
  entries: AuditRowFacts[];
  /** Entries written after that snapshot that the topic already holds (a tenant verified while written). */
  lateEntries: AuditRowFacts[];
  /** The audit topic's records by partition then offset; undefined when the topic does not exist. */
  topic: AuditTopicRecord[] | undefined;
  /** `${diagramId}@${version}` → the ledger event's transaction id, for the versions APPLIED entries name. */
  ledgerTransactions: ReadonlyMap<string, string>;
}

export interface AuditVerdict {
  tenantId: string;
  reviews: number;
  entries: number;
  records: number;
  /** Records of an entry already on the topic: the relay sends at least once, consumers deduplicate. */
  duplicates: number;
  /** Entries not published yet (the relay's outbox). */
  unpublished: number;
  problems: string[];
}

const MAX_PROBLEMS = 50;
/** The review status each last action leaves, and the actions that may follow it. */
const STATUS_AFTER: Record<string, string> = {
  SUBMITTED: 'PENDING',
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  APPLIED: 'APPLIED',
  APPLY_FAILED: 'APPLY_FAILED',
};
const NEXT: Record<string, string[]> = {
  '': ['SUBMITTED'],
  SUBMITTED: ['APPROVED', 'REJECTED'],
  APPROVED: ['APPLIED', 'APPLY_FAILED'],
};
const COMPARED = [
  'at',
  'actorId',
  'actorKind',
  'action',
  'reviewId',
  'diagramId',
  'version',
  'runId',
  'reason',
] as const;

/**
 * What the review code guarantees (command-service/src/reviews), checked for one tenant (pure):
 * - table: each review's state change and its audit entry commit together, so a review's
 *   entries run SUBMITTED → APPROVED | REJECTED → APPLIED | APPLY_FAILED and end in its status,
 *   name its diagram, run and deciders, and an APPLIED one names the ledger version that holds
 *   the review's transaction;
 * - topic: the table is its outbox, sent oldest first per tenant and marked after Kafka's ack:
 *   every record is a table entry with the same content, keyed by its diagram; every entry marked
 *   published is there; a review's entries are there in seq order (entries of different reviews
 *   are not: two committing at once may be sent in either order); an entry may be there twice.
 */
export function verifyAudit(e: AuditEvidence): AuditVerdict {
  const problems: string[] = [];
  const byId = new Map([...e.entries, ...e.lateEntries].map((r) => [r.entryId, r]));
  const byReview = new Map<string, AuditRowFacts[]>();
  for (const r of e.entries) byReview.set(r.reviewId, [...(byReview.get(r.reviewId) ?? []), r]);
  const reviews = new Map(e.reviews.map((r) => [r.reviewId, r]));

  for (const review of e.reviews) problems.push(...checkReview(review, byReview.get(review.reviewId) ?? [], e));
  for (const [reviewId, rows] of byReview) {
    if (!reviews.has(reviewId))
      problems.push(`audit_entries: ${rows.length} entries name review ${reviewId}, which is not in proposal_reviews`);
  }

  let duplicates = 0;
  const seen = new Set<string>();
  const lastSeqOfReview = new Map<string, bigint>();
  for (const rec of e.topic ?? []) {
    const where = `audit topic p${rec.partition}@${rec.offset}`;
    if ('error' in rec.entry) {
      problems.push(`${where}: does not decode: ${rec.entry.error}`);
      continue;
    }
    const entry = rec.entry;
    if (entry.tenantId !== e.tenantId) problems.push(`${where}: entry of tenant ${entry.tenantId}`);
    if (rec.key !== entry.diagramId)
      problems.push(`${where}: key ${rec.key}, the entry's diagram is ${entry.diagramId}`);
    if (rec.headers['event-type'] !== `AUDIT_${entry.action}`)
      problems.push(`${where}: event-type header ${rec.headers['event-type']}, the entry is ${entry.action}`);
    const row = byId.get(entry.entryId);
    if (!row) {
      problems.push(
        `${where}: entry ${entry.entryId} (${entry.action} of review ${entry.reviewId}) is not in audit_entries`,
      );
      continue;
    }
    for (const field of COMPARED) {
      const onTopic = field === 'at' ? entry.at.getTime() : entry[field];
      if (onTopic !== row[field])
        problems.push(
          `${where}: entry ${row.entryId}: ${field} is ${show(onTopic)}, audit_entries has ${show(row[field])}`,
        );
    }
    if (seen.has(row.entryId)) {
      duplicates++;
      continue;
    }
    seen.add(row.entryId);
    const previous = lastSeqOfReview.get(row.reviewId);
    if (previous !== undefined && BigInt(row.seq) < previous) {
      problems.push(
        `${where}: ${row.action} of review ${row.reviewId} comes after a later entry of that review (seq ${row.seq})`,
      );
    }
    lastSeqOfReview.set(row.reviewId, BigInt(row.seq));
  }
  const missing = e.entries.filter((r) => r.published && !seen.has(r.entryId));
  if (e.topic === undefined && missing.length > 0) {
    problems.push(`audit topic: does not exist, and ${missing.length} entries are marked published`);
  } else {
    for (const r of missing)
      problems.push(
        `audit topic: entry ${r.entryId} (seq ${r.seq}, ${r.action} of review ${r.reviewId}) is marked published but not there`,
      );
  }

  return {
    tenantId: e.tenantId,
    reviews: e.reviews.length,
    entries: e.entries.length,
    records: e.topic?.length ?? 0,
    duplicates,
    unpublished: e.entries.filter((r) => !r.published).length,
    problems:
      problems.length > MAX_PROBLEMS
        ? [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more`]
        : problems,
  };
}

function checkReview(review: ReviewFacts, rows: AuditRowFacts[], e: AuditEvidence): string[] {
  const problems: string[] = [];
  const at = `review ${review.reviewId}`;
  let last = '';
  for (const r of rows) {
    if (!NEXT[last]?.includes(r.action)) problems.push(`${at}: ${r.action} (seq ${r.seq}) after ${last || 'nothing'}`);
    last = r.action;
    if (r.diagramId !== review.diagramId || r.runId !== review.runId)
      problems.push(
        `${at}: ${r.action} names diagram ${r.diagramId} run ${r.runId}, the review ${review.diagramId} run ${review.runId}`,
      );
    if (r.action === 'SUBMITTED' && (r.actorId !== review.actorId || r.version !== review.baseVersion))
      problems.push(
        `${at}: SUBMITTED by ${r.actorId} on v${r.version}, the review is ${review.actorId}'s on v${review.baseVersion}`,
      );
    if ((r.action === 'APPROVED' || r.action === 'REJECTED') && r.actorId !== review.decidedBy)
      problems.push(`${at}: ${r.action} by ${r.actorId}, the review was decided by ${String(review.decidedBy)}`);
    if (r.action === 'REJECTED' && r.reason !== review.reason)
      problems.push(`${at}: REJECTED because ${show(r.reason)}, the review's reason is ${show(review.reason)}`);
    if (r.action === 'APPLIED') problems.push(...checkApplied(review, r, e.ledgerTransactions));
  }
  const status = STATUS_AFTER[last];
  if (status !== review.status)
    problems.push(
      `${at}: status ${review.status}, its audit entries end with ${last || 'none'} (${status ?? 'no status'})`,
    );
  return problems;
}

function checkApplied(review: ReviewFacts, r: AuditRowFacts, ledger: ReadonlyMap<string, string>): string[] {
  const at = `review ${review.reviewId}`;
  if (r.version !== review.appliedVersion)
    return [`${at}: APPLIED names v${r.version}, the review's outcome v${review.appliedVersion}`];
  const tx = ledger.get(`${review.diagramId}@${r.version}`);
  if (tx === undefined)
    return [`${at}: APPLIED as v${r.version}, the ledger has no v${r.version} of diagram ${review.diagramId}`];
  if (tx !== review.transactionId)
    return [
      `${at}: APPLIED as v${r.version}, the ledger's v${r.version} is transaction ${tx}, not the review's ${review.transactionId}`,
    ];
  return [];
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

import type pg from 'pg';
import { auditTopic, type AuditCodec } from '@flowledger/events';
import type { KafkaAdmin, KafkaPartitionReader } from '@flowledger/kafka';
import type { AuditEvidence, AuditRowFacts, AuditTopicRecord, ReviewFacts } from './verify-audit.js';

const READ_CHUNK = 5000n;
const ENTRY_COLUMNS = `seq, entry_id, at, actor_id, actor_kind, action, review_id, diagram_id, version, run_id, reason,
  published_at IS NOT NULL AS published`;

/** A tenant's reviews, audit entries (seq order), audit topic and the ledger transactions APPLIED entries name. */
export async function loadAuditEvidence(
  tenantId: string,
  deps: { pool: pg.Pool; admin: KafkaAdmin; reader: KafkaPartitionReader; codec: Pick<AuditCodec, 'decode'> },
): Promise<AuditEvidence> {
  const { pool } = deps;
  const { rows: tables } = await pool.query<{ present: boolean }>(
    "SELECT to_regclass('proposal_reviews') IS NOT NULL AND to_regclass('audit_entries') IS NOT NULL AS present",
  );
  if (!tables[0]!.present) {
    const topic = await readAuditTopic(tenantId, deps);
    return { tenantId, reviews: [], entries: [], lateEntries: [], topic, ledgerTransactions: new Map() };
  }

  const client = await pool.connect();
  try {
    // One snapshot: a review and its entries as they were committed together.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const reviews = await client.query<ReviewRow>(
      `SELECT review_id, diagram_id, transaction_id, actor_id, run_id, base_version, status, decided_by, reason,
              (outcome->>'version')::bigint AS applied_version
         FROM proposal_reviews WHERE tenant_id = $1 ORDER BY review_id`,
      [tenantId],
    );
    const entries = await client.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE tenant_id = $1 ORDER BY seq`,
      [tenantId],
    );
    const ledger = await client.query<{ diagram_id: string; version: string; transaction_id: string }>(
      `SELECT e.diagram_id, e.version, e.transaction_id
         FROM audit_entries a
         JOIN ledger_events e ON e.tenant_id = a.tenant_id AND e.diagram_id = a.diagram_id AND e.version = a.version
        WHERE a.tenant_id = $1 AND a.action = 'APPLIED'`,
      [tenantId],
    );
    await client.query('COMMIT');
    // The topic after the tables: every entry marked published in them is on it by now. Entries
    // written since are looked up again, so a tenant being written can be verified too.
    const topic = await readAuditTopic(tenantId, deps);
    const known = new Set(entries.rows.map((r) => r.entry_id));
    const later = (topic ?? []).flatMap((r) =>
      'error' in r.entry || known.has(r.entry.entryId) ? [] : [r.entry.entryId],
    );
    const late =
      later.length === 0
        ? []
        : (
            await client.query<EntryRow>(
              `SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE tenant_id = $1 AND entry_id = ANY($2::text[])`,
              [tenantId, later],
            )
          ).rows;
    return {
      tenantId,
      reviews: reviews.rows.map(reviewFacts),
      entries: entries.rows.map(entryFacts),
      lateEntries: late.map(entryFacts),
      topic,
      ledgerTransactions: new Map(ledger.rows.map((r) => [`${r.diagram_id}@${r.version}`, r.transaction_id])),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function readAuditTopic(
  tenantId: string,
  { admin, reader, codec }: { admin: KafkaAdmin; reader: KafkaPartitionReader; codec: Pick<AuditCodec, 'decode'> },
): Promise<AuditTopicRecord[] | undefined> {
  const topic = auditTopic(tenantId);
  if (!(await admin.listTopics()).includes(topic)) return undefined;
  const out: AuditTopicRecord[] = [];
  const partitions = await reader.partitionCount(topic);
  for (let p = 0; p < partitions; p++) {
    const { start, end } = await reader.offsets(topic, p);
    for (let from = start; from < end; from += READ_CHUNK) {
      const to = from + READ_CHUNK < end ? from + READ_CHUNK : end;
      for (const r of await reader.read(topic, p, from, to)) {
        const entry = await codec.decode(r.value).catch((error: Error) => ({ error: error.message }));
        out.push({ partition: p, offset: r.offset.toString(), key: r.key, headers: r.headers, entry });
      }
    }
  }
  return out;
}

interface ReviewRow {
  review_id: string;
  diagram_id: string;
  transaction_id: string;
  actor_id: string;
  run_id: string;
  base_version: string;
  status: string;
  decided_by: string | null;
  reason: string | null;
  applied_version: string | null;
}

interface EntryRow {
  seq: string;
  entry_id: string;
  at: Date;
  actor_id: string;
  actor_kind: string;
  action: string;
  review_id: string;
  diagram_id: string;
  version: string | null;
  run_id: string;
  reason: string;
  published: boolean;
}

function reviewFacts(r: ReviewRow): ReviewFacts {
  return {
    reviewId: r.review_id,
    diagramId: r.diagram_id,
    transactionId: r.transaction_id,
    actorId: r.actor_id,
    runId: r.run_id,
    baseVersion: Number(r.base_version),
    status: r.status,
    decidedBy: r.decided_by,
    reason: r.reason,
    appliedVersion: r.status === 'APPLIED' && r.applied_version !== null ? Number(r.applied_version) : null,
  };
}

function entryFacts(r: EntryRow): AuditRowFacts {
  return {
    seq: r.seq,
    entryId: r.entry_id,
    at: r.at.getTime(),
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    action: r.action,
    reviewId: r.review_id,
    diagramId: r.diagram_id,
    version: r.version === null ? null : Number(r.version),
    runId: r.run_id,
    reason: r.reason,
    published: r.published,
  };
}

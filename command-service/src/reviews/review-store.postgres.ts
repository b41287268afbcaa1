import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@flowledger/ledger';
import type { Operation } from '@flowledger/bpmn-operations';
import type { Role } from '@flowledger/oidc';
import type { Violation } from '../modeling/rejection.js';
import type { AuditAction, AuditEntry, Review, ReviewOutcome, ReviewStatus } from './review.js';
import type { ReviewStore } from './review-store.js';

/** ReviewStore on the command service's own tables (`migrations/001_reviews.sql`). */
export function createPostgresReviewStore(pool: Pool): ReviewStore {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await pool.query<ReviewRow>(sql, params);
    return rows[0] ? fromRow(rows[0]) : undefined;
  };
  return {
    async submit(review, entry) {
      const inserted = await inTransaction(pool, async (client) => {
        const { rowCount } = await client.query(
          `INSERT INTO proposal_reviews (tenant_id, review_id, diagram_id, base_version, transaction_id, actor_id,
             actor_roles, run_id, operations, lint_warnings, submitted_at, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'PENDING')
           ON CONFLICT (tenant_id, transaction_id) DO NOTHING`,
          [
            review.tenantId,
            review.reviewId,
            review.diagramId,
            review.baseVersion,
            review.transactionId,
            review.actorId,
            review.actorRoles,
            review.runId,
            JSON.stringify(review.operations),
            JSON.stringify(review.lintWarnings),
            review.submittedAt,
          ],
        );
        if (rowCount === 1) await insertEntry(client, entry);
        return rowCount === 1;
      });
      if (inserted) return review;
      const existing = await this.byTransaction(review.tenantId, review.transactionId);
      if (!existing) throw new Error(`review of transaction ${review.transactionId} vanished`);
      return existing;
    },
    byTransaction: (tenantId, transactionId) =>
      one('SELECT * FROM proposal_reviews WHERE tenant_id = $1 AND transaction_id = $2', [tenantId, transactionId]),
    byId: (tenantId, reviewId) =>
      one('SELECT * FROM proposal_reviews WHERE tenant_id = $1 AND review_id = $2', [tenantId, reviewId]),
    async pending(tenantId, diagramId) {
      const { rows } = await pool.query<ReviewRow>(
        `SELECT * FROM proposal_reviews
          WHERE tenant_id = $1 AND status = 'PENDING' AND ($2::text IS NULL OR diagram_id = $2)
          ORDER BY submitted_at, review_id`,
        [tenantId, diagramId ?? null],
      );
      return rows.map(fromRow);
    },
    transition(review, from, entry) {
      return inTransaction(pool, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE proposal_reviews
              SET status = $4, decided_by = $5, decided_at = $6, decision_transaction_id = $7, reason = $8, outcome = $9
            WHERE tenant_id = $1 AND review_id = $2 AND status = $3`,
          [
            review.tenantId,
            review.reviewId,
            from,
            review.status,
            review.decision?.by ?? null,
            review.decision?.at ?? null,
            review.decision?.transactionId || null,
            review.decision?.reason || null,
            review.outcome ? JSON.stringify(review.outcome) : null,
          ],
        );
        if (rowCount !== 1) return false;
        await insertEntry(client, entry);
        return true;
      });
    },
    async auditEntries(tenantId, { diagramId, runId, limit }) {
      const { rows } = await pool.query<AuditRow>(
        `SELECT * FROM audit_entries
          WHERE tenant_id = $1 AND ($2::text IS NULL OR diagram_id = $2) AND ($3::text IS NULL OR run_id = $3)
          ORDER BY seq LIMIT $4`,
        [tenantId, diagramId ?? null, runId ?? null, limit],
      );
      return rows.map(entryFromRow);
    },
  };
}

export interface AuditRow {
  seq: string;
  entry_id: string;
  tenant_id: string;
  at: Date;
  actor_id: string;
  actor_kind: 'USER' | 'AGENT';
  action: AuditAction;
  review_id: string;
  diagram_id: string;
  version: string | null;
  run_id: string;
  reason: string;
}

export function entryFromRow(r: AuditRow): AuditEntry {
  return {
    entryId: r.entry_id,
    tenantId: r.tenant_id,
    at: r.at,
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    action: r.action,
    reviewId: r.review_id,
    diagramId: r.diagram_id,
    version: r.version === null ? null : Number(r.version),
    runId: r.run_id,
    reason: r.reason,
  };
}

interface ReviewRow {
  tenant_id: string;
  review_id: string;
  diagram_id: string;
  base_version: string;
  transaction_id: string;
  actor_id: string;
  actor_roles: Role[];
  run_id: string;
  operations: Operation[];
  lint_warnings: Violation[];
  submitted_at: Date;
  status: ReviewStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decision_transaction_id: string | null;
  reason: string | null;
  outcome: ReviewOutcome | null;
}

function fromRow(r: ReviewRow): Review {
  return {
    tenantId: r.tenant_id,
    reviewId: r.review_id,
    diagramId: r.diagram_id,
    baseVersion: Number(r.base_version),
    transactionId: r.transaction_id,
    actorId: r.actor_id,
    actorRoles: r.actor_roles,
    runId: r.run_id,
    operations: r.operations,
    lintWarnings: r.lint_warnings,
    submittedAt: r.submitted_at,
    status: r.status,
    ...(r.decided_by && r.decided_at
      ? {
          decision: {
            by: r.decided_by,
            at: r.decided_at,
            transactionId: r.decision_transaction_id ?? '',
            reason: r.reason ?? '',
          },
        }
      : {}),
    ...(r.outcome ? { outcome: r.outcome } : {}),
  };
}

async function insertEntry(client: PoolClient, e: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO audit_entries (entry_id, tenant_id, at, actor_id, actor_kind, action, review_id, diagram_id, version, run_id, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      e.entryId,
      e.tenantId,
      e.at,
      e.actorId,
      e.actorKind,
      e.action,
      e.reviewId,
      e.diagramId,
      e.version,
      e.runId,
      e.reason,
    ],
  );
}

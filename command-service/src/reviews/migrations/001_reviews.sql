-- Agents' proposals held for a reviewer, and the audit log of every submission, decision and
-- application (DESIGN.md §8). The command service's own tables, beside the ledger's.

CREATE TABLE proposal_reviews (
  tenant_id               text        NOT NULL,
  review_id               text        NOT NULL,
  diagram_id              text        NOT NULL,
  -- The version the proposal was validated against when it was submitted.
  base_version            bigint      NOT NULL CHECK (base_version >= 1),
  transaction_id          text        NOT NULL,
  actor_id                text        NOT NULL,
  actor_roles             text[]      NOT NULL,
  run_id                  text        NOT NULL,
  -- As proposed (domain form of the operations, temporary ids).
  operations              jsonb       NOT NULL,
  lint_warnings           jsonb       NOT NULL DEFAULT '[]',
  submitted_at            timestamptz NOT NULL,
  status                  text        NOT NULL
    CHECK (status IN ('PENDING', 'APPROVED', 'APPLIED', 'APPLY_FAILED', 'REJECTED')),
  decided_by              text,
  decided_at              timestamptz,
  -- The approval's idempotency key (ApproveProposalRequest.transaction_id).
  decision_transaction_id text,
  reason                  text,
  -- What the application answered (Applied or Rejected), repeated to a retry and to the agent.
  outcome                 jsonb,
  PRIMARY KEY (tenant_id, review_id),
  -- One review per transaction: the same proposal again finds it.
  UNIQUE (tenant_id, transaction_id),
  CHECK ((status = 'PENDING') = (decided_by IS NULL)),
  CHECK ((status IN ('APPLIED', 'APPLY_FAILED')) = (outcome IS NOT NULL))
);

CREATE INDEX proposal_reviews_pending ON proposal_reviews (tenant_id, submitted_at) WHERE status = 'PENDING';

CREATE TABLE audit_entries (
  -- Insertion order, for listing and for publishing in order.
  seq          bigserial   PRIMARY KEY,
  entry_id     text        NOT NULL UNIQUE,
  tenant_id    text        NOT NULL,
  at           timestamptz NOT NULL,
  actor_id     text        NOT NULL,
  actor_kind   text        NOT NULL CHECK (actor_kind IN ('USER', 'AGENT')),
  action       text        NOT NULL
    CHECK (action IN ('SUBMITTED', 'APPROVED', 'REJECTED', 'APPLIED', 'APPLY_FAILED')),
  review_id    text        NOT NULL,
  diagram_id   text        NOT NULL,
  version      bigint,
  run_id       text        NOT NULL,
  reason       text        NOT NULL DEFAULT '',
  -- Set once the entry is on flowledger.<tenant>.audit (an outbox, like the ledger's).
  published_at timestamptz,
  FOREIGN KEY (tenant_id, review_id) REFERENCES proposal_reviews (tenant_id, review_id)
);

CREATE INDEX audit_entries_by_diagram ON audit_entries (tenant_id, diagram_id, seq);
CREATE INDEX audit_entries_by_run ON audit_entries (tenant_id, run_id, seq);
CREATE INDEX audit_entries_unpublished ON audit_entries (tenant_id, seq) WHERE published_at IS NULL;

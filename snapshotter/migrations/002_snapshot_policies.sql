-- Per-tenant snapshot policies (K tuned per tenant); tenants without a row use the process's policy.

CREATE TABLE snapshot_policies (
  tenant_id       text        PRIMARY KEY,
  base_k          integer     NOT NULL CHECK (base_k >= 1),
  max_k           integer     NOT NULL CHECK (max_k >= base_k),
  reference_bytes integer     NOT NULL CHECK (reference_bytes >= 1),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

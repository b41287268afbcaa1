-- Snapshots of diagram versions (gzip'd canonical BPMN XML) and the snapshotter's progress.

CREATE TABLE snapshots (
  tenant_id        text        NOT NULL,
  diagram_id       text        NOT NULL,
  version          bigint      NOT NULL CHECK (version >= 1),
  -- sha256 hex of the XML; equals the diagram event's result_hash of this version.
  result_hash      text        NOT NULL,
  -- Uncompressed XML size in bytes.
  bytes            integer     NOT NULL,
  compressed_bytes integer     NOT NULL,
  xml_gz           bytea       NOT NULL,
  -- The archive file, relative to the archive folder.
  archive_path     text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  -- Set once the snapshot-created event is on flowledger.<tenant>.snapshots (an outbox, like the ledger's).
  announced_at     timestamptz,
  UNIQUE (tenant_id, diagram_id, version)
);

CREATE INDEX snapshots_unannounced ON snapshots (tenant_id, diagram_id, version) WHERE announced_at IS NULL;

-- Per projection version and diagram: the last version the snapshotter handled, and its last snapshot.
CREATE TABLE snapshot_progress (
  projection_version    integer NOT NULL,
  tenant_id             text    NOT NULL,
  diagram_id            text    NOT NULL,
  applied_version       bigint  NOT NULL,
  last_snapshot_version bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (projection_version, tenant_id, diagram_id)
);

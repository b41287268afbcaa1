-- The ledger: the ordering authority for diagram versions, and the outbox of the diagram-events topic.

CREATE TABLE diagrams (
  tenant_id       text        NOT NULL,
  diagram_id      text        NOT NULL,
  name            text        NOT NULL,
  current_version bigint      NOT NULL CHECK (current_version >= 1),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, diagram_id)
);

CREATE TABLE ledger_events (
  tenant_id            text        NOT NULL,
  diagram_id           text        NOT NULL,
  version              bigint      NOT NULL CHECK (version >= 1),
  base_version         bigint      NOT NULL CHECK (base_version = version - 1),
  event_type           text        NOT NULL CHECK (event_type IN ('DIAGRAM_CREATED', 'CHANGES_APPLIED')),
  event_schema_version integer     NOT NULL,
  diagram_name         text,
  transaction_id       text        NOT NULL,
  actor_id             text        NOT NULL,
  actor_kind           text        NOT NULL CHECK (actor_kind IN ('USER', 'AGENT')),
  run_id               text,
  request_id           text,
  occurred_at          timestamptz NOT NULL,
  operations           jsonb       NOT NULL,
  id_map               jsonb       NOT NULL,
  result_hash          text        NOT NULL,
  result_xml_gzip      bytea       NOT NULL,
  lint_warnings        jsonb       NOT NULL DEFAULT '[]',
  -- W3C trace context of the request, carried into the Kafka headers when the relay publishes later.
  traceparent          text,
  -- The database's clock at insert: orders commits against publish marks when reconciling (see outbox/reconcile.ts).
  recorded_at          timestamptz NOT NULL DEFAULT now(),
  -- Set (and committed) before a send: only events with it set can be on the topic unmarked.
  publish_attempted_at timestamptz,
  published_at         timestamptz,
  kafka_partition      integer,
  kafka_offset         bigint,
  PRIMARY KEY (tenant_id, diagram_id, version),
  UNIQUE (tenant_id, transaction_id),
  FOREIGN KEY (tenant_id, diagram_id) REFERENCES diagrams (tenant_id, diagram_id),
  CHECK ((published_at IS NULL) = (kafka_offset IS NULL) AND (kafka_offset IS NULL) = (kafka_partition IS NULL))
);

-- The outbox: what is committed but not yet on the topic.
CREATE INDEX ledger_events_unpublished ON ledger_events (tenant_id, diagram_id, version) WHERE published_at IS NULL;

-- Reconciling a diagram with no marked event looks up the last marked offset of its partition.
CREATE INDEX ledger_events_by_position ON ledger_events (tenant_id, kafka_partition, kafka_offset) WHERE published_at IS NOT NULL;

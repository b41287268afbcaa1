-- Marks events as on the topic in one round trip, committed without waiting for the disk.
-- A mark lost in a crash leaves an event whose publish_attempted_at is durable, and recovery
-- finds such an event on the topic (src/outbox/reconcile.ts), so the mark needs no fsync.
CREATE FUNCTION ledger_mark_published(
  p_tenant_id text, p_diagram_id text, p_versions bigint[], p_partitions int[], p_offsets bigint[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Local to the caller's transaction, so it holds at its commit (a function SET clause would not).
  PERFORM set_config('synchronous_commit', 'off', true);
  UPDATE ledger_events AS e
  SET published_at = now(), kafka_partition = m.kafka_partition, kafka_offset = m.kafka_offset
  FROM unnest(p_versions, p_partitions, p_offsets) AS m(version, kafka_partition, kafka_offset)
  WHERE e.tenant_id = p_tenant_id AND e.diagram_id = p_diagram_id AND e.version = m.version
    AND e.published_at IS NULL;
END
$$;

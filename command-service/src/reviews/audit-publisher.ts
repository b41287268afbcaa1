import type { Pool } from 'pg';
import { AUDIT_ENTRY_SCHEMA_VERSION, auditTopic, type AuditCodec } from '@flowledger/events';
import type { KafkaAdmin, KafkaProducer } from '@flowledger/kafka';
import { inTransaction } from '@flowledger/ledger';
import { entryFromRow, type AuditRow } from './review-store.postgres.js';

/** Advisory-lock class of audit publishing ('audt'); the second key is the tenant's hash. */
const PUBLISH_LOCK_CLASS = 0x61756474;
const BATCH = 500;

export interface AuditPublisher {
  /** Sends the tenant's unpublished entries soon, in order; never throws (the relay retries). */
  schedule(tenantId: string): void;
  /** Sends the tenant's unpublished entries now; resolves with how many went out. */
  publishPending(tenantId: string): Promise<number>;
  /** Sweeps every tenant with unpublished entries (after a Kafka outage or a crash). */
  startRelay(options: { intervalMs: number; onError(error: unknown): void }): { stop(): Promise<void> };
}

/**
 * The audit table is the outbox of `flowledger.<tenant>.audit`: an entry is committed with the
 * change it records, then sent (Avro, Confluent wire format, keyed by diagram id) and marked.
 * One process at a time sends a tenant's entries (advisory lock), oldest first. A crash between
 * Kafka's ack and the mark sends an entry again: consumers deduplicate by entry_id.
 */
export function createAuditPublisher(deps: {
  pool: Pool;
  codec: AuditCodec;
  producer: KafkaProducer;
  admin: KafkaAdmin;
  partitions: number;
  onError(error: unknown, tenantId: string): void;
}): AuditPublisher {
  const topics = new Map<string, Promise<void>>();
  const ensureTopic = (tenantId: string) => {
    let ready = topics.get(tenantId);
    if (!ready) {
      ready = deps.admin.ensureTopics([{ name: auditTopic(tenantId), partitions: deps.partitions }]);
      ready.catch(() => topics.delete(tenantId));
      topics.set(tenantId, ready);
    }
    return ready;
  };

  // The transaction is held across the Kafka send (inTransaction: a session lost meanwhile does
  // not end the process, and the connection is discarded).
  const publishBatch = (tenantId: string): Promise<number> =>
    inTransaction(deps.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [PUBLISH_LOCK_CLASS, tenantId]);
      const { rows } = await client.query<AuditRow>(
        'SELECT * FROM audit_entries WHERE tenant_id = $1 AND published_at IS NULL ORDER BY seq LIMIT $2',
        [tenantId, BATCH],
      );
      if (rows.length > 0) {
        await ensureTopic(tenantId);
        const records = await Promise.all(
          rows.map(async (row) => {
            const entry = entryFromRow(row);
            return {
              topic: auditTopic(tenantId),
              key: entry.diagramId,
              value: await deps.codec.encode({ ...entry, eventSchemaVersion: AUDIT_ENTRY_SCHEMA_VERSION }),
              headers: {
                'tenant-id': tenantId,
                'event-type': `AUDIT_${entry.action}`,
                'content-type': 'application/vnd.confluent.avro',
              },
            };
          }),
        );
        await deps.producer.send(records);
        await client.query('UPDATE audit_entries SET published_at = now() WHERE seq = ANY($1::bigint[])', [
          rows.map((r) => r.seq),
        ]);
      }
      return rows.length;
    });

  async function publishPending(tenantId: string): Promise<number> {
    let total = 0;
    for (let sent = BATCH; sent === BATCH; total += sent) sent = await publishBatch(tenantId);
    return total;
  }

  // One run per tenant at a time in this process; entries written meanwhile go in one more run.
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  function schedule(tenantId: string): void {
    if (running.has(tenantId)) {
      again.add(tenantId);
      return;
    }
    const run = (async () => {
      do {
        again.delete(tenantId);
        await publishPending(tenantId);
      } while (again.has(tenantId));
    })()
      .catch((error: unknown) => deps.onError(error, tenantId))
      .finally(() => running.delete(tenantId));
    running.set(tenantId, run);
  }

  return {
    schedule,
    publishPending,
    startRelay({ intervalMs, onError }) {
      let stopped = false;
      let sweep: Promise<void> = Promise.resolve();
      const timer = setInterval(() => {
        sweep = sweep.then(async () => {
          if (stopped) return;
          try {
            const { rows } = await deps.pool.query<{ tenant_id: string }>(
              'SELECT DISTINCT tenant_id FROM audit_entries WHERE published_at IS NULL',
            );
            for (const { tenant_id } of rows) await publishPending(tenant_id);
          } catch (error) {
            onError(error);
          }
        });
      }, intervalMs);
      return {
        async stop() {
          stopped = true;
          clearInterval(timer);
          await sweep;
          await Promise.all(running.values());
        },
      };
    },
  };
}

import type { Pool, PoolClient } from 'pg';
import { buildEventHeaders, diagramEventsTopic, type EventCodec } from '@flowledger/events';
import type { KafkaAdmin, KafkaPartitionReader, KafkaProducer } from '@flowledger/kafka';
import type { DiagramEvent } from '@flowledger/events';
import { appendEvent } from '../append.js';
import { crashPoint } from '@flowledger/crash-points';
import { validateEvent, type AppendOptions } from '../ledger.js';
import type { KafkaPosition } from '../ledger-entry.js';
import { LedgerError, toLedgerError } from '../ledger-error.js';
import { withDiagramLock, type HeldLock } from './diagram-lock.js';
import {
  markAttempted,
  markPublished,
  selectDiagramsWithPending,
  selectPending,
  type PendingEntry,
} from './outbox-queries.js';
import { findAlreadyOnTopic } from './reconcile.js';
import { startRelay, type Relay, type RelayOptions } from './relay.js';

export interface OutboxPublisherOptions {
  pool: Pool;
  codec: EventCodec;
  producer: KafkaProducer;
  reader: KafkaPartitionReader;
  admin: KafkaAdmin;
  /** Partitions of a tenant's topic when this publisher creates it (default 3). */
  partitions?: number;
  /** Broker-side configuration of created topics, e.g. `{ 'min.insync.replicas': '2' }`. */
  topicConfig?: Record<string, string>;
  /** Events per produce request when a backlog is published (default 100). */
  batchSize?: number;
}

export interface PublishedEvent extends KafkaPosition {
  version: number;
  /** Found already on the topic (sent before a crash) rather than sent by this call. */
  reconciled: boolean;
}

export interface SweepResult {
  published: number;
  failures: Array<{ tenantId: string; diagramId: string; error: unknown }>;
}

export interface AppendAndPublishOptions extends AppendOptions {
  /** Called once the event is committed, before it is sent (e.g. to time the two steps apart). */
  onCommitted?(): void;
}

export interface OutboxPublisher {
  /**
   * The command path's append: holding the diagram's publish lock, commits the event as the next
   * version (as `Ledger.append`, with its errors) and puts it on the topic — after any earlier
   * events still pending — before letting go. Resolves when it is durable in both. When Kafka
   * fails, the event stays committed and the error is PUBLISH_FAILED (the relay sends it later).
   */
  appendAndPublish(
    event: DiagramEvent,
    resultXmlGzip: Buffer,
    options?: AppendAndPublishOptions,
  ): Promise<PublishedEvent>;
  /** Puts every unpublished event of the diagram on the topic, in version order, and marks it. */
  publishPending(tenantId: string, diagramId: string): Promise<PublishedEvent[]>;
  /** `publishPending`, then the position of `version`: it is durable in the ledger and on the topic. */
  ensurePublished(tenantId: string, diagramId: string, version: number): Promise<KafkaPosition>;
  /** One relay pass over every diagram with unpublished events; skips diagrams another process is publishing. */
  publishAllPending(options?: { minAgeMs?: number }): Promise<SweepResult>;
  /** Runs `publishAllPending` every `intervalMs` until stopped: recovery after a crash or a Kafka outage. */
  startRelay(options: RelayOptions): Relay;
}

export function createOutboxPublisher(options: OutboxPublisherOptions): OutboxPublisher {
  const { pool, codec, producer, reader, admin, partitions = 3, topicConfig, batchSize = 100 } = options;
  if (!Number.isInteger(partitions) || partitions < 1) throw new Error('ledger: partitions must be a positive integer');
  const topics = new Map<string, Promise<void>>();

  /** The tenant's topic, created on first use (once per process; a failure is retried next time). */
  const ensureTopic = (tenantId: string): Promise<void> => {
    let ready = topics.get(tenantId);
    if (!ready) {
      ready = admin.ensureTopics([{ name: diagramEventsTopic(tenantId), partitions, config: topicConfig }]);
      ready.catch(() => topics.delete(tenantId));
      topics.set(tenantId, ready);
    }
    return ready;
  };

  const publishLocked = async (c: PoolClient, tenantId: string, diagramId: string): Promise<PublishedEvent[]> => {
    const topic = diagramEventsTopic(tenantId);
    let pending = await selectPending(c, tenantId, diagramId);
    const done: PublishedEvent[] = [];
    if (pending.some((p) => p.publishAttemptedAt !== null)) {
      const found = await findAlreadyOnTopic({ reader, codec }, c, topic, pending);
      const marks = [...found].map(([version, position]) => ({ version, ...position }));
      await markPublished(c, tenantId, diagramId, marks);
      done.push(...marks.map((m) => ({ ...m, reconciled: true })));
      pending = pending.filter((p) => !found.has(p.event.version));
    }
    for (let i = 0; i < pending.length; i += batchSize) {
      done.push(...(await sendBatch(c, topic, pending.slice(i, i + batchSize))));
    }
    return done;
  };

  /**
   * Sends `batch` and marks it; with `lastUnder`, the mark also lets go of that lock (the caller's
   * last statement). `onAcked` hears of the broker's ack before the mark is written.
   */
  const sendBatch = async (
    c: PoolClient,
    topic: string,
    batch: PendingEntry[],
    lastUnder?: HeldLock,
    onAcked?: (published: PublishedEvent[]) => void,
  ): Promise<PublishedEvent[]> => {
    const { tenantId, diagramId } = batch[0]!.event;
    const records = await Promise.all(
      batch.map(async (p) => ({
        topic,
        key: diagramId,
        value: await codec.encode(p.event),
        headers: buildEventHeaders({ event: p.event, traceparent: p.traceparent }),
      })),
    );
    const unmarked = batch.filter((p) => p.publishAttemptedAt === null).map((p) => p.event.version);
    if (unmarked.length > 0) await markAttempted(c, tenantId, diagramId, unmarked);
    const positions = await producer.send(records);
    crashPoint('outbox:after-ack');
    const marks = batch.map((p, i) => ({
      version: p.event.version,
      partition: positions[i]!.partition,
      offset: positions[i]!.offset,
    }));
    onAcked?.(marks.map((m) => ({ ...m, reconciled: false })));
    await markPublished(c, tenantId, diagramId, marks, lastUnder);
    return marks.map((m) => ({ ...m, reconciled: false }));
  };

  const publish = async (tenantId: string, diagramId: string, wait: boolean) => {
    try {
      await ensureTopic(tenantId);
      return await withDiagramLock(pool, { tenantId, diagramId }, { wait }, (c) =>
        publishLocked(c, tenantId, diagramId),
      );
    } catch (err) {
      throw classifyPublishError(err, `${tenantId}/${diagramId}`);
    }
  };

  const publisher: OutboxPublisher = {
    async appendAndPublish(event, resultXmlGzip, appendOptions = {}) {
      validateEvent(event, 'CHANGES_APPLIED');
      const { tenantId, diagramId, version } = event;
      try {
        await ensureTopic(tenantId);
      } catch (err) {
        throw classifyPublishError(err, `${tenantId}/${diagramId}`);
      }
      // Durable in both once the broker acks: the caller hears then, while the published mark (and
      // the lock's release) is written. A crash before the mark is harmless: publish_attempted_at
      // is set, so the relay finds the event on the topic instead of sending it again.
      let acked!: (published: PublishedEvent[]) => void;
      const ack = new Promise<PublishedEvent[]>((resolve) => (acked = resolve));
      const key = { tenantId, diagramId };
      const locked = withDiagramLock(pool, key, { wait: true, takenByWork: true }, async (c, lock) => {
        const appended = await appendEvent(c, event, resultXmlGzip, {
          lintWarnings: appendOptions.lintWarnings ?? [],
          traceparent: appendOptions.traceparent ?? null,
          sendingNow: true,
          lockFirst: lock.key,
        });
        crashPoint('ledger:after-commit');
        appendOptions.onCommitted?.();
        try {
          // Usually this event alone; after a crash or a Kafka outage, the earlier ones first (they may need reconciling).
          if (appended.earlierUnpublished > 0) return await publishLocked(c, tenantId, diagramId);
          const pending: PendingEntry = { ...appended.entry, publishAttemptedAt: appended.entry.recordedAt };
          return await sendBatch(c, diagramEventsTopic(tenantId), [pending], lock, acked);
        } catch (err) {
          throw classifyPublishError(err, `${tenantId}/${diagramId}`);
        }
      });
      locked.catch(() => undefined); // after the ack, a failed mark is the relay's to mend
      const published = await Promise.race([ack, locked]);
      const own = published?.find((p) => p.version === version);
      if (!own) throw new LedgerError('PUBLISH_FAILED', `version ${version} of ${tenantId}/${diagramId} was not sent`);
      return own;
    },

    publishPending: async (tenantId, diagramId) => (await publish(tenantId, diagramId, true)) ?? [],

    async ensurePublished(tenantId, diagramId, version) {
      await publisher.publishPending(tenantId, diagramId);
      const { rows } = await pool.query<{ kafka_partition: number | null; kafka_offset: string | null }>(
        'SELECT kafka_partition, kafka_offset FROM ledger_events WHERE tenant_id = $1 AND diagram_id = $2 AND version = $3',
        [tenantId, diagramId, version],
      );
      const row = rows[0];
      if (!row) throw new LedgerError('DIAGRAM_NOT_FOUND', `no version ${version} of ${tenantId}/${diagramId}`);
      if (row.kafka_partition === null || row.kafka_offset === null) {
        throw new LedgerError(
          'PUBLISH_FAILED',
          `version ${version} of ${tenantId}/${diagramId} is not on the topic yet`,
          {
            retriable: true,
          },
        );
      }
      return { partition: row.kafka_partition, offset: BigInt(row.kafka_offset) };
    },

    async publishAllPending({ minAgeMs = 0 } = {}) {
      const result: SweepResult = { published: 0, failures: [] };
      const diagrams = await selectDiagramsWithPending(pool, minAgeMs).catch((err: unknown) => {
        throw toLedgerError(err, 'ledger: relay sweep');
      });
      for (const { tenantId, diagramId } of diagrams) {
        try {
          result.published += (await publish(tenantId, diagramId, false))?.length ?? 0;
        } catch (error) {
          result.failures.push({ tenantId, diagramId, error });
        }
      }
      return result;
    },

    startRelay: (relayOptions) => startRelay(publisher, relayOptions),
  };
  return publisher;
}

function classifyPublishError(err: unknown, what: string): LedgerError {
  if (err instanceof LedgerError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return toLedgerError(err, `ledger: publishing ${what}`);
  // Kafka and registry failures: the events stay in the outbox; a later call or the relay sends them.
  const retriable = (err as { retriable?: boolean }).retriable !== false;
  return new LedgerError('PUBLISH_FAILED', `publishing ${what}: ${(err as Error)?.message ?? err}`, {
    retriable,
    cause: err,
  });
}

import { crashPoint } from '@flowledger/crash-points';
import { createEventCodec, diagramEventsTopic, EventError, type DiagramEvent } from '@flowledger/events';
import {
  createKafkaAdmin,
  createKafkaConsumer,
  createKafkaGroupLag,
  type IncomingRecord,
  type KafkaConsumer,
} from '@flowledger/kafka';
import { createChangeProcessor, type ProcessOutcome } from './change-processor.js';
import type { Projection } from './projection.js';
import { createProjectionMetrics, type ProjectionMetrics } from './projection-metrics.js';
import type { ChangeNotices, LedgerSource, SnapshotSource } from './projection-sources.js';
import { tenantTopics } from './tenant-topics.js';

/** Structured logging as pino offers it; the runner never logs through console. */
export interface ProjectorLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ProjectorOptions {
  projection: Projection;
  brokers: string[];
  /** The registry's Confluent-compatible API (stack.schemaRegistry.url). */
  registryUrl: string;
  ledger: LedgerSource;
  snapshots?: SnapshotSource;
  /** Only these tenants' topics (default: every tenant's). */
  tenants?: string[];
  metrics?: ProjectionMetrics;
  logger?: ProjectorLogger;
  /** How often new tenant topics are looked for (default 5 s). */
  discoveryIntervalMs?: number;
  /** The shortest time between two rejoins for new topics (default 10 s). */
  rejoinIntervalMs?: number;
  /** How often the group's lag is measured (default 5 s). */
  lagIntervalMs?: number;
  /** Diagrams kept in memory (default 2,000). */
  cacheSize?: number;
  /** Records handed to the sink in one write at most (default 1,000): what one fetch brought. */
  maxBatchSize?: number;
  /**
   * The least time between two fetches (default 100 ms): under load, what arrived meanwhile
   * is projected as one batch, and the broker reads the partitions a fetch names once per
   * interval rather than once per record. Idle, the next record still comes at once.
   */
  minFetchIntervalMs?: number;
  /**
   * Where the consumer learns which diagram changed. With it, a fetch names only the partitions
   * of changed diagrams, and every partition only each `sweepIntervalMs` (default 15 s): with
   * many tenant topics, naming them all is most of a fetch's cost. Without it, every fetch names
   * every partition and waits at the broker for the next record.
   */
  changeNotices?: ChangeNotices;
  sweepIntervalMs?: number;
  clientId?: string;
  /** Called with every event's outcome, after its offset may be committed (tests, tracing). */
  onOutcome?(event: DiagramEvent, outcome: ProcessOutcome): void;
}

export interface RunningProjector {
  /** `flowledger.projector.<name>.v<version>` */
  groupId: string;
  /** The group's lag now, measured against the brokers (records not yet committed). */
  lag(): Promise<number>;
  /** Resolves once the lag was measured at 0 after at least one topic was assigned. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

const RESTART_DELAY_MS = 1_000;

export function projectorGroupId(projection: Pick<Projection, 'name' | 'version'>): string {
  return `flowledger.projector.${projection.name}.v${projection.version}`;
}

/**
 * Runs one projection as its own consumer group over every tenant's diagram-events topic: decodes
 * each record, lets the change processor skip, gap-fill, replay and write it, and only then lets
 * the consumer commit the offset. New tenant topics are found by listing topics periodically, or
 * at once on a change notice of a tenant not read yet; the member then rejoins with the larger
 * subscription and resumes from the committed offsets. A retriable failure (database or registry
 * away) restarts the member, which re-delivers from the last commit; an event that can never be
 * projected is logged, counted and its diagram set aside.
 */
export async function startProjector(options: ProjectorOptions): Promise<RunningProjector> {
  const { projection, logger } = options;
  const groupId = projectorGroupId(projection);
  const clientId = options.clientId ?? `${groupId}-${process.pid}`;
  const connection = { brokers: options.brokers, clientId };
  const metrics = options.metrics ?? createProjectionMetrics();
  const codec = createEventCodec({ registryUrl: options.registryUrl });
  const admin = createKafkaAdmin(connection);
  const groupLag = createKafkaGroupLag({ ...connection, groupId });
  const quarantined = new Set<string>();
  const processor = createChangeProcessor({
    projection,
    ledger: options.ledger,
    snapshots: options.snapshots,
    cacheSize: options.cacheSize,
    onApplied: (_event, seconds) => metrics.applySeconds.observe({ projection: projection.name }, seconds),
  });

  let topics: string[] = [];
  let readTopics = new Set<string>();
  let lastJoin = 0;
  let consumer: KafkaConsumer | undefined;
  let stopping = false;
  let activated = false;
  let resolveCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (resolveCaughtUp = resolve));

  /** A fetched set of records: decoded, then projected together in one sink write. */
  const onBatch = async (records: IncomingRecord[]) => {
    const events: DiagramEvent[] = [];
    for (const record of records) {
      try {
        const event = await codec.decode(record.value);
        if (!quarantined.has(`${event.tenantId}/${event.diagramId}`)) events.push(event);
      } catch (error) {
        if (!(error instanceof EventError) || error.retriable) throw error;
        metrics.events.inc({ projection: projection.name, result: 'undecodable' });
        logger?.error(
          { err: error, topic: record.topic, partition: record.partition, offset: String(record.offset) },
          'undecodable record skipped',
        );
      }
    }
    if (events.length === 0) return;
    const { outcomes, failures } = await processor.processBatch(events);
    crashPoint('projector:after-write'); // written; the consumer commits the offsets once this returns
    for (const { event, outcome } of outcomes) {
      metrics.events.inc(
        { projection: projection.name, result: outcome.result },
        Math.max(1, outcome.appliedVersions.length),
      );
      options.onOutcome?.(event, outcome);
    }
    for (const { event, error } of failures) {
      // Re-delivering it would fail the same way and hold up the whole partition.
      quarantined.add(`${event.tenantId}/${event.diagramId}`);
      metrics.events.inc({ projection: projection.name, result: 'failed' });
      logger?.error(
        {
          err: error,
          code: error.code,
          tenant_id: event.tenantId,
          diagram_id: event.diagramId,
          version: event.version,
        },
        'diagram cannot be projected; set aside until restart',
      );
    }
  };

  const notices = options.changeNotices?.listen({
    onChange: (tenantId, diagramId) => {
      if (options.tenants && !options.tenants.includes(tenantId)) return;
      let topic: string;
      try {
        topic = diagramEventsTopic(tenantId);
      } catch {
        return; // not a tenant id any topic could carry
      }
      if (readTopics.has(topic)) consumer?.notify(topic, diagramId);
      else newTopicNoticed(); // a tenant's first diagram: rejoin with its topic, not at the next look
    },
    // Notices sent while the listener was away are lost: read every partition instead of waiting for the sweep.
    onListening: () => consumer?.sweep(),
  });

  const discover = async () => tenantTopics(await admin.listTopics(), options.tenants);

  // One member at a time: (re)joins with the current topic list until stopped.
  const loop = (async () => {
    while (!stopping) {
      try {
        topics = await discover();
        readTopics = new Set(topics);
        if (topics.length === 0) {
          await sleep(options.discoveryIntervalMs ?? 5_000);
          continue;
        }
        consumer = createKafkaConsumer({ ...connection, groupId });
        lastJoin = Date.now();
        logger?.info({ group: groupId, topics: topics.length }, 'projector joined');
        await consumer.run({
          topics,
          onBatch,
          maxBatchSize: options.maxBatchSize,
          minFetchIntervalMs: options.minFetchIntervalMs ?? 100,
          startAt: 'earliest',
          news: options.changeNotices ? { sweepIntervalMs: options.sweepIntervalMs ?? 15_000 } : undefined,
        });
      } catch (error) {
        if (stopping) break;
        logger?.warn({ err: error, group: groupId }, 'projector member failed; rejoining');
        await consumer?.close().catch(() => undefined);
        consumer = undefined;
        await sleep(RESTART_DELAY_MS);
      }
    }
  })();

  // Rejoining stops consumption for a moment, so new topics are picked up at most every rejoinMs.
  const rejoinMs = options.rejoinIntervalMs ?? 10_000;
  const rejoinIfTopicsChanged = async () => {
    if (Date.now() - lastJoin < rejoinMs) return;
    const found = await discover().catch(() => topics);
    if (consumer && found.join() !== topics.join()) {
      const member = consumer;
      consumer = undefined;
      await member.close().catch(() => undefined); // run() returns and the loop rejoins
    }
  };
  const rediscovery = setInterval(() => void rejoinIfTopicsChanged(), options.discoveryIntervalMs ?? 5_000);
  // A notice of a diagram in a topic not read yet: look now, or once rejoinMs allows, instead of
  // at the next periodic look (a new tenant's first diagram reaches the read models in a second).
  let noticedRejoin: NodeJS.Timeout | undefined;
  const newTopicNoticed = () => {
    if (noticedRejoin || stopping) return;
    noticedRejoin = setTimeout(
      () => {
        noticedRejoin = undefined;
        void rejoinIfTopicsChanged();
      },
      Math.max(0, lastJoin + rejoinMs - Date.now()),
    );
  };

  const lag = async () => Number(await groupLag.lag(topics));
  const measureLag = setInterval(() => {
    void (async () => {
      if (topics.length === 0) return;
      const value = await lag().catch(() => undefined);
      if (value === undefined) return;
      metrics.lag.set({ group: groupId }, value);
      if (value === 0) {
        resolveCaughtUp();
        if (!activated && projection.sink.activate) {
          activated = true;
          await projection.sink.activate().catch((err: unknown) => {
            activated = false;
            logger?.warn({ err, group: groupId }, 'could not activate the projection version');
          });
        }
      }
    })();
  }, options.lagIntervalMs ?? 5_000);

  return {
    groupId,
    lag,
    caughtUp: () => caughtUp,
    async stop() {
      stopping = true;
      clearInterval(rediscovery);
      clearTimeout(noticedRejoin);
      clearInterval(measureLag);
      await consumer?.close().catch(() => undefined);
      await loop;
      await Promise.all([admin.close(), groupLag.close(), notices?.stop()].map((p) => p?.catch(() => undefined)));
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

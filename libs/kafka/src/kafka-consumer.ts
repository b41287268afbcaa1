import { ConnectionPool, Consumer, ListOffsetTimestamps } from '@platformatic/kafka';
import { type KafkaConnection, READ_SIDE_METADATA_MAX_AGE_MS, validateConnection } from './kafka-connection.js';
import { partitionForKey } from './kafka-partitioning.js';
import { createFetchPositions, type PartitionPosition } from './fetch-positions.js';
import { createSerialBatcher } from './serial-batcher.js';

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: bigint;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

interface ConsumeCommon {
  topics: string[];
  /** Where a group with no committed offset starts (default: earliest, so nothing is missed). */
  startAt?: 'earliest' | 'latest';
  /**
   * Fetch on news instead of long-polling every partition. Every fetch names the partitions it
   * reads, and the client and the broker pay for each one (~8 ms each per fetch with ~1,000
   * tenant topics). With this set, a fetch names only the partitions `notify()` named since the
   * last one, and every `sweepIntervalMs` (or after `sweep()`) all of them, for what arrived
   * without a notice. Without it, each fetch names every partition and waits at the broker until
   * a record arrives.
   */
  news?: { sweepIntervalMs: number };
}

/** One handler call per record, or per batch of the records already fetched (each partition in order). */
export type ConsumeOptions = ConsumeCommon &
  (
    | {
        /** Called once per record, in partition order; its offset is committed only after it resolves. */
        onRecord(record: IncomingRecord): Promise<void>;
      }
    | {
        /**
         * Called with the records fetched and not yet handled (at least one, at most
         * `maxBatchSize`, default 1,000), each partition's in order; their offsets are committed
         * only after it resolves. Lets a handler write many records in one transaction.
         */
        onBatch(records: IncomingRecord[]): Promise<void>;
        maxBatchSize?: number;
        /**
         * The least time between two fetches (default 0). Under load, a fetch brings what arrived
         * meanwhile as one batch (at most one fetch per interval); an idle consumer still fetches
         * the next record as soon as it arrives (or is announced).
         */
        minFetchIntervalMs?: number;
      }
  );

export interface KafkaConsumer {
  /**
   * Joins the group and delivers records until `close()`; rejects if a handler throws. Losing
   * the broker is not an error: the member rejoins when it is back and resumes after the last
   * committed offset, so records handled since then are delivered again.
   */
  run(options: ConsumeOptions): Promise<void>;
  /**
   * Records may have arrived in `topic` (in `key`'s partition, when given). With `news` set, the
   * next fetch names those partitions; otherwise, and for topics not assigned here, it does nothing.
   */
  notify(topic: string, key?: string): void;
  /** With `news` set: the next fetch names every partition (announcements may have been lost). */
  sweep(): void;
  /** Lets a running handler finish, commits what was handled, and leaves the group. */
  close(): Promise<void>;
}

const RECONNECT_BASE_DELAY_MS = 250;
const RECONNECT_MAX_DELAY_MS = 5000;
/**
 * How long a fetch without `news` waits at the broker. It returns as soon as a record arrives, so
 * this costs no latency; it only sets how often an idle member re-lists every partition. It stays
 * well under the client's 30-s request timeout, and the fetches use connections of their own, so
 * a parked fetch holds up no heartbeat or commit.
 */
const FETCH_MAX_WAIT_MS = 10_000;
const FETCH_MAX_BYTES = 16 << 20;
const PARTITION_MAX_BYTES = 1 << 20;
/**
 * Each heartbeat costs the member ~1 ms of CPU (the library looks up the coordinator and the
 * metadata of every assigned topic first) and the broker a request; at 500 ms, the read side's
 * three groups sent six a second, idle or not. Kafka advises at most a third of the session
 * timeout; a rebalance reaches the group's other members within one interval.
 */
const HEARTBEAT_INTERVAL_MS = 1_500;
const SESSION_TIMEOUT_MS = 10_000;

/**
 * A consumer-group member that reads with its own fetch loop and commits an offset only after its
 * handler succeeded (at-least-once). The library's stream names every assigned partition in every
 * fetch; this loop names only those with news when it has a news source. Commits are coalesced:
 * one OffsetCommit at a time, carrying the latest handled offset of each partition.
 */
export function createKafkaConsumer(connection: KafkaConnection & { groupId: string }): KafkaConsumer {
  validateConnection(connection);
  if (!connection.groupId) throw new Error('kafka: groupId is required for a consumer');
  const consumer = new Consumer({
    clientId: connection.clientId,
    groupId: connection.groupId,
    bootstrapBrokers: connection.brokers,
    autocommit: false,
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    metadataMaxAge: READ_SIDE_METADATA_MAX_AGE_MS,
  });
  const positions = createFetchPositions();
  const partitionCounts = new Map<string, number>();
  const wake = createWakeSignal();
  consumer.on('consumer:group:join', () => wake.fire());
  let fetchPool: ConnectionPool | undefined;
  let news: ConsumeCommon['news'];
  let closing = false;
  let sweepRequested = false;
  let running: Promise<void> | undefined;

  const commits = createSerialBatcher<PartitionPosition>({
    flush: async (handled) => {
      const latest = new Map(handled.map((p) => [`${p.topic}:${p.partition}`, p]));
      await consumer.commit({
        offsets: [...latest.values()].map(({ topic, partition, offset }) => ({
          topic,
          partition,
          offset,
          leaderEpoch: -1,
        })),
      });
    },
    sizeOf: () => 0,
    maxFlushSize: Number.POSITIVE_INFINITY,
  });
  let lastCommit: Promise<void> | undefined;
  let commitError: unknown;

  /** Positions for the current assignment: each partition's committed offset, or the start the caller chose. */
  const assignFromGroup = async (startAt: 'earliest' | 'latest') => {
    await lastCommit?.catch(() => undefined); // what was handled counts before offsets are read back
    const generation = consumer.generationId;
    const assignments = consumer.assignments ?? [];
    const committed = assignments.length > 0 ? await consumer.listCommittedOffsets({ topics: assignments }) : new Map();
    const missing = assignments.filter((a) => a.partitions.some((p) => (committed.get(a.topic)?.[p] ?? -1n) < 0n));
    const fallback =
      missing.length > 0
        ? await consumer.listOffsets({
            topics: missing.map((a) => a.topic),
            timestamp: startAt === 'earliest' ? ListOffsetTimestamps.EARLIEST : ListOffsetTimestamps.LATEST,
          })
        : new Map<string, bigint[]>();
    positions.assign(
      assignments.flatMap(({ topic, partitions }) =>
        partitions.map((partition) => {
          const done = committed.get(topic)?.[partition] ?? -1n;
          return { topic, partition, offset: done >= 0n ? done : (fallback.get(topic)?.[partition] ?? 0n) };
        }),
      ),
    );
    return generation;
  };

  /** Fetches the partitions given, one request per leader, and returns their new records in partition order. */
  const fetchRecords = async (topics: string[], wanted: PartitionPosition[], maxWaitTime: number) => {
    const metadata = await consumer.metadata({ topics });
    // Only the topics fetched now: a targeted fetch names a few of the member's (many) topics.
    const topicById = new Map<string, string>();
    const byLeader = new Map<number, Map<string, PartitionPosition[]>>();
    for (const p of wanted) {
      const topic = metadata.topics.get(p.topic)!;
      partitionCounts.set(p.topic, topic.partitionsCount);
      topicById.set(topic.id, p.topic);
      const leader = topic.partitions[p.partition]!.leader;
      const topicsOfLeader = byLeader.get(leader) ?? new Map<string, PartitionPosition[]>();
      byLeader.set(leader, topicsOfLeader);
      const partitions = topicsOfLeader.get(p.topic) ?? [];
      topicsOfLeader.set(p.topic, partitions);
      partitions.push(p);
    }
    fetchPool ??= new ConnectionPool(connection.clientId);
    const responses = await Promise.all(
      [...byLeader].map(([node, topicsOfLeader]) =>
        consumer.fetch({
          node,
          maxWaitTime,
          minBytes: 1,
          maxBytes: FETCH_MAX_BYTES,
          connectionPool: fetchPool,
          topics: [...topicsOfLeader].map(([topic, partitions]) => ({
            topicId: metadata.topics.get(topic)!.id,
            partitions: partitions.map(({ partition, offset }) => ({
              partition,
              fetchOffset: offset,
              partitionMaxBytes: PARTITION_MAX_BYTES,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
            })),
          })),
        }),
      ),
    );
    return responses.flatMap((response) => recordsOf(response, topicById));
  };

  const recordsOf = (response: FetchResponse, topicById: Map<string, string>): IncomingRecord[] =>
    response.responses.flatMap(({ topicId, partitions }) => {
      const topic = topicById.get(topicId)!;
      return partitions.flatMap(({ partitionIndex, records, highWatermark }) =>
        positions
          .accept(
            topic,
            partitionIndex,
            (records ?? []).map((b) => ({ ...b, isControl: (b.attributes & CONTROL_BATCH) !== 0 })),
            highWatermark,
          )
          .map(({ record, offset }) => ({
            topic,
            partition: partitionIndex,
            offset,
            key: record.key?.toString() ?? '',
            value: record.value ?? Buffer.alloc(0),
            headers: Object.fromEntries(record.headers.map(([k, v]) => [k?.toString() ?? '', v?.toString() ?? ''])),
          })),
      );
    });

  const run = async (options: ConsumeOptions) => {
    const { topics, startAt = 'earliest' } = options;
    news = options.news;
    const maxBatch = 'onBatch' in options ? (options.maxBatchSize ?? 1_000) : 1;
    const fetchInterval = 'onBatch' in options ? (options.minFetchIntervalMs ?? 0) : 0;
    const handle =
      'onBatch' in options
        ? (records: IncomingRecord[]) => options.onBatch(records)
        : (records: IncomingRecord[]) => options.onRecord(records[0]!);
    consumer.topics.trackAll(...topics);
    for (let attempt = 0; !closing; attempt++) {
      try {
        await consumer.joinGroup({});
        let generation = await assignFromGroup(startAt);
        let lastSweep = 0;
        let lastFetch = 0;
        while (!closing) {
          if (consumer.generationId !== generation) {
            generation = await assignFromGroup(startAt); // a rebalance: new partitions, or some gone
            lastSweep = 0;
          }
          const now = Date.now();
          const pause = lastFetch + fetchInterval - now;
          const sweepDue = !news || sweepRequested || now - lastSweep >= news.sweepIntervalMs;
          if (pause > 0 || (!sweepDue && !positions.hasNews())) {
            await wake.wait(pause > 0 ? pause : lastSweep + news!.sweepIntervalMs - now);
            continue;
          }
          lastFetch = now;
          if (sweepDue) {
            lastSweep = now;
            sweepRequested = false;
          }
          const wanted = positions.take(sweepDue);
          if (wanted.length === 0) {
            // Nothing assigned here (more members than partitions): wait for a rebalance, or the next sweep.
            await wake.wait(news ? news.sweepIntervalMs : FETCH_MAX_WAIT_MS);
            continue;
          }
          const fetched = await wake.unlessClosed(fetchRecords(topics, wanted, news ? 0 : FETCH_MAX_WAIT_MS));
          if (fetched === undefined || closing) break;
          // Records of a generation that ended may belong to another member now; read them again.
          if (consumer.generationId !== generation) continue;
          attempt = 0;
          for (let i = 0; i < fetched.length; i += maxBatch) {
            const batch = fetched.slice(i, i + maxBatch);
            try {
              await handle(batch);
            } catch (err) {
              throw new HandlerFailure(err);
            }
            const last = new Map(batch.map((r) => [`${r.topic}:${r.partition}`, r]));
            lastCommit = commits.add(
              [...last.values()].map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset + 1n })),
            );
            lastCommit.catch((err: unknown) => (commitError ??= err));
            if (commitError) throw commitError;
          }
        }
      } catch (err) {
        if (closing) return;
        if (err instanceof HandlerFailure) throw err.cause;
        // The broker went away or refused the member: rejoin and read again from the committed offsets.
        commitError = undefined;
        consumer.clearMetadata();
        await wake.wait(Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_BASE_DELAY_MS * 2 ** attempt));
      }
    }
  };

  return {
    run(options) {
      running = run(options);
      return running;
    },
    notify(topic, key) {
      if (!news) return;
      const count = key === undefined ? undefined : partitionCounts.get(topic);
      positions.markNews(topic, count === undefined ? undefined : partitionForKey(key!, count));
      wake.fire();
    },
    sweep() {
      if (!news) return;
      sweepRequested = true;
      wake.fire();
    },
    async close() {
      closing = true;
      wake.close();
      await running?.catch(() => undefined);
      // The last handled offsets go out before the member leaves, so a successor resumes right after them.
      await lastCommit?.catch(() => undefined);
      await fetchPool?.close().catch(() => undefined);
      await consumer.close(true);
    },
  };
}

const CONTROL_BATCH = 1 << 5;

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

/** Marks an error thrown by the caller's handler, which ends `run()`, from the broker's, which does not. */
class HandlerFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('record handler failed');
  }
}

/** Wakes the fetch loop early: on news, on a rebalance, on close. */
function createWakeSignal() {
  let resolveWait: (() => void) | undefined;
  let closed = false;
  let closeSignal!: () => void;
  const closedSignal = new Promise<undefined>((resolve) => {
    closeSignal = () => resolve(undefined);
  });
  return {
    fire() {
      resolveWait?.();
    },
    close() {
      closed = true;
      closeSignal();
      resolveWait?.();
    },
    /** Resolves after `ms`, or earlier when fired or closed. */
    async wait(ms: number) {
      if (closed) return;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        resolveWait = resolve;
        timer = setTimeout(resolve, Math.max(0, ms));
      });
      clearTimeout(timer);
      resolveWait = undefined;
    },
    /** The promise's value, or undefined once closed (a parked fetch is not waited for). */
    unlessClosed<T>(promise: Promise<T>): Promise<T | undefined> {
      promise.catch(() => undefined); // an abandoned fetch may fail after close
      return Promise.race([promise, closedSignal]);
    },
  };
}

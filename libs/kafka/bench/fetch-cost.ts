// What one fetch costs, in the client and in the broker, as the number of topics a consumer-group
// member covers grows — the read side's cost per tenant (BENCHMARKS.md, "Where a paced proposal's
// CPU and tail go"). Two ways of fetching while a member over N topics:
//   all partitions — @platformatic/kafka's own stream: every fetch names every assigned partition
//                    (1.x sends no KIP-227 fetch session);
//   one partition  — `Consumer.fetch` naming a single partition at its end, the group membership
//                    unchanged (what a fetch loop that names only partitions with news would do).
import diagnostics from 'node:diagnostics_channel';
import { Admin, Consumer, MessagesStreamFallbackModes, MessagesStreamModes } from '@platformatic/kafka';
import { range, sleep } from './bench-records.js';

export interface FetchCostOptions {
  brokers: string[];
  /** The broker's CPU so far, in ms (the CLI reads it from /proc); without it only the client's is measured. */
  brokerCpuMs?: () => number;
  /** Member sizes to measure, in topics (one partition each). */
  topicCounts: number[];
  /** Measuring time per mode and size. */
  seconds: number;
}

export interface FetchCostRow {
  topics: number;
  mode: 'all partitions' | 'one partition';
  fetches: number;
  clientMsPerFetch: number;
  brokerMsPerFetch?: number;
}

/** Topics this benchmark creates when missing and leaves for the next run (creating hundreds is slow). */
export const FETCH_COST_TOPIC_PREFIX = 'flowledger.bench-fetch-cost.';
const FETCH_API_KEY = 1;

export async function measureFetchCost(options: FetchCostOptions): Promise<{ rows: FetchCostRow[]; markdown: string }> {
  const largest = Math.max(...options.topicCounts);
  const topics = await ensureTopics(options.brokers, largest);
  // What the broker burns meanwhile without us (the rest of the stack, its own housekeeping) is
  // taken off each row, so a row shows what its fetches added.
  const baseline = await brokerBaseline(options);
  const rows: FetchCostRow[] = [];
  for (const count of options.topicCounts) {
    const member = topics.slice(0, count);
    rows.push(await allPartitions(options, member, baseline));
    rows.push(await onePartition(options, member, baseline));
  }
  return { rows, markdown: renderFetchCost(rows, { ...options, baselineMsPerSecond: baseline }) };
}

async function ensureTopics(brokers: string[], count: number): Promise<string[]> {
  const admin = new Admin({ clientId: 'bench-fetch-cost', bootstrapBrokers: brokers, retries: 20, retryDelay: 500 });
  try {
    const wanted = range(count).map((i) => `${FETCH_COST_TOPIC_PREFIX}${String(i).padStart(5, '0')}`);
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    for (let i = 0; i < missing.length; i += 100) {
      await admin.createTopics({ topics: missing.slice(i, i + 100), partitions: 1, replicas: 1 });
    }
    return wanted;
  } finally {
    await admin.close();
  }
}

/** The broker's CPU ms per second while this benchmark does nothing. */
async function brokerBaseline(options: FetchCostOptions): Promise<number | undefined> {
  const brokerCpuMs = options.brokerCpuMs;
  if (brokerCpuMs === undefined) return undefined;
  const before = brokerCpuMs();
  const started = Date.now();
  await sleep(options.seconds * 1_000);
  return ((brokerCpuMs() - before) * 1_000) / (Date.now() - started);
}

/** The library's stream over every partition, idle: each fetch waits 20 ms at the broker and comes back empty. */
async function allPartitions(
  options: FetchCostOptions,
  topics: string[],
  baseline: number | undefined,
): Promise<FetchCostRow> {
  const consumer = newMember(options.brokers, 20);
  let fetches = 0;
  const countFetch = (message: unknown) => {
    if ((message as { apiKey?: number }).apiKey === FETCH_API_KEY) fetches++;
  };
  const channel = 'tracing:plt:kafka:connections:api:start';
  diagnostics.subscribe(channel, countFetch);
  try {
    const stream = await consumer.consume({
      topics,
      mode: MessagesStreamModes.LATEST,
      fallbackMode: MessagesStreamFallbackModes.LATEST,
    });
    stream.on('data', () => undefined);
    await sleep(2_000); // joined, assigned, fetching
    const window = startWindow(options.brokerCpuMs, baseline, () => fetches);
    await sleep(options.seconds * 1_000);
    const row = window.end(topics.length, 'all partitions');
    await stream.close();
    return row;
  } finally {
    diagnostics.unsubscribe(channel, countFetch);
    await consumer.close(true);
  }
}

/** The same membership, but each fetch names one partition at its end (answered at once, empty). */
async function onePartition(
  options: FetchCostOptions,
  topics: string[],
  baseline: number | undefined,
): Promise<FetchCostRow> {
  const consumer = newMember(options.brokers, 0);
  try {
    consumer.topics.trackAll(...topics);
    await consumer.joinGroup({});
    const metadata = await consumer.metadata({ topics });
    const target = metadata.topics.get(topics[0]!)!;
    const leader = target.partitions[0]!.leader;
    const end = await consumer.listOffsets({ topics: [topics[0]!], timestamp: -1n });
    const fetchOffset = end.get(topics[0]!)![0]!;
    let fetches = 0;
    const fetchOne = async () => {
      await consumer.fetch({
        node: leader,
        topics: [
          {
            topicId: target.id,
            partitions: [
              { partition: 0, fetchOffset, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1, lastFetchedEpoch: -1 },
            ],
          },
        ],
      });
      fetches++;
    };
    for (let i = 0; i < 50; i++) await fetchOne(); // warm
    const window = startWindow(options.brokerCpuMs, baseline, () => fetches);
    const until = Date.now() + options.seconds * 1_000;
    while (Date.now() < until) await fetchOne();
    return window.end(topics.length, 'one partition');
  } finally {
    await consumer.close(true);
  }
}

function newMember(brokers: string[], maxWaitTime: number): Consumer {
  return new Consumer({
    clientId: 'bench-fetch-cost',
    groupId: `flowledger.bench-fetch-cost.${process.pid}.${Date.now()}`,
    bootstrapBrokers: brokers,
    autocommit: false,
    maxWaitTime,
    metadataMaxAge: 60_000,
  });
}

function startWindow(brokerCpuMs: (() => number) | undefined, baseline: number | undefined, fetchCount: () => number) {
  const started = Date.now();
  const client = process.cpuUsage();
  const broker = brokerCpuMs?.();
  const fetches = fetchCount();
  return {
    end(topics: number, mode: FetchCostRow['mode']): FetchCostRow {
      const n = fetchCount() - fetches;
      const used = process.cpuUsage(client);
      const elapsedSeconds = (Date.now() - started) / 1_000;
      const brokerMs =
        broker === undefined ? undefined : Math.max(0, brokerCpuMs!() - broker - (baseline ?? 0) * elapsedSeconds);
      return {
        topics,
        mode,
        fetches: n,
        clientMsPerFetch: (used.user + used.system) / 1000 / n,
        brokerMsPerFetch: brokerMs === undefined ? undefined : brokerMs / n,
      };
    },
  };
}

export function renderFetchCost(
  rows: FetchCostRow[],
  options: Pick<FetchCostOptions, 'seconds'> & { baselineMsPerSecond?: number },
): string {
  const ms = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(2));
  return [
    `### kafka-fetch — CPU per fetch by member size (${options.seconds} s per row)`,
    '',
    options.baselineMsPerSecond === undefined
      ? 'Broker CPU not measured (no var/run/kafka.pid: a broker this checkout did not start).'
      : `Broker CPU: the whole broker's during each row, less its rate while the benchmark was idle (${options.baselineMsPerSecond.toFixed(1)} ms/s): other load on the stack still adds noise.`,
    '',
    '| topics in the member | fetch names | fetches | client ms / fetch | broker ms / fetch |',
    '| ---: | --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) => `| ${r.topics} | ${r.mode} | ${r.fetches} | ${ms(r.clientMsPerFetch)} | ${ms(r.brokerMsPerFetch)} |`,
    ),
    '',
  ].join('\n');
}

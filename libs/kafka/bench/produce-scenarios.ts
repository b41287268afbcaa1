import { performance } from 'node:perf_hooks';
import { type BenchTopics, benchRecord, checkDelivery, percentile, range, sleep } from './bench-records.js';
import type { ClientUnderTest } from './clients-under-test.js';

export interface ProduceFigures {
  client: string;
  mode: string;
  recordBytes: number;
  /** Sends in flight at once (1 = each awaited before the next). */
  concurrency: number;
  recordsPerSend: number;
  acked: number;
  failedSends: number;
  /** Records the log holds afterwards; differs from `acked` when a client loses or duplicates records. */
  inLog: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface ConsumeFigures {
  client: string;
  records: number;
  firstRecordMs: number;
  allRecordsMs: number;
  recordsPerSecond: number;
  distinct: number;
  redelivered: number;
  outOfOrderKeys: number;
}

export interface ProduceSettings {
  recordBytes: number;
  partitions: number;
  keys: number;
  sequentialSends: number;
  concurrentSends: number;
  concurrencies: number[];
  batchSize: number;
  batchedRecords: number;
}

/** Runs (a) sequential, (b) concurrent and batched produce, each on a fresh topic; returns the batched topic for (c). */
export async function runProduceScenarios(
  client: ClientUnderTest,
  topics: BenchTopics,
  s: ProduceSettings,
  slug: string,
): Promise<{ figures: ProduceFigures[]; batchedTopic: string }> {
  const figures: ProduceFigures[] = [];
  const warm = await topics.fresh(`${slug}.warmup`, s.partitions);
  const modes: { mode: string; concurrency: number; perSend: number; records: number }[] = [
    { mode: 'sequential', concurrency: 1, perSend: 1, records: s.sequentialSends },
    ...s.concurrencies.map((c) => ({ mode: 'concurrent', concurrency: c, perSend: 1, records: s.concurrentSends })),
    { mode: 'batched', concurrency: 1, perSend: s.batchSize, records: s.batchedRecords },
  ];
  let batchedTopic = '';
  for (const m of modes) {
    // A producer per mode, so one mode's broken sequence state cannot spoil the next; warmed up
    // first, because connections, metadata, the producer id and the JIT are not what we measure.
    const producer = await client.producer(`bench-${slug}-${m.mode}-${m.concurrency}`);
    try {
      for (const i of range(100)) await producer.send([benchRecord(warm, s.keys, i, s.recordBytes)]);
      const topic = await topics.fresh(`${slug}.${m.mode}-c${m.concurrency}`, s.partitions);
      if (m.mode === 'batched') batchedTopic = topic;
      figures.push(await measure(client.name, producer, topics, topic, s, m));
    } finally {
      await producer.close().catch(() => undefined);
    }
  }
  return { figures, batchedTopic };
}

/** (c) A fresh consumer group reads a topic from the beginning; order per key and duplicates are checked. */
export async function runConsumeScenario(
  client: ClientUnderTest,
  topic: string,
  expected: number,
  groupId: string,
): Promise<ConsumeFigures> {
  const values: Buffer[] = [];
  const start = performance.now();
  let firstAt = Number.NaN;
  let allAt = Number.NaN;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const consumer = await client.consume(topic, groupId, (value) => {
    if (values.length === 0) firstAt = performance.now();
    values.push(value);
    if (values.length === expected) {
      allAt = performance.now();
      done();
    }
  });
  await Promise.race([finished, sleep(60_000)]);
  await sleep(500); // a late duplicate would show up here
  await consumer.close();
  const check = checkDelivery(values);
  const seconds = (allAt - firstAt) / 1000;
  return {
    client: client.name,
    records: values.length,
    firstRecordMs: firstAt - start,
    allRecordsMs: allAt - start,
    recordsPerSecond: expected / seconds,
    ...check,
  };
}

async function measure(
  clientName: string,
  producer: Awaited<ReturnType<ClientUnderTest['producer']>>,
  topics: BenchTopics,
  topic: string,
  s: ProduceSettings,
  m: { mode: string; concurrency: number; perSend: number; records: number },
): Promise<ProduceFigures> {
  const sends = Math.ceil(m.records / m.perSend);
  const latencies: number[] = [];
  let acked = 0;
  let failedSends = 0;
  let next = 0;
  // `concurrency` workers each await their send before taking the next: that many sends in flight.
  const worker = async () => {
    while (next < sends) {
      const sendIndex = next++;
      const batch = range(m.perSend).map((i) => benchRecord(topic, s.keys, sendIndex * m.perSend + i, s.recordBytes));
      const t0 = performance.now();
      try {
        await producer.send(batch);
        latencies.push(performance.now() - t0);
        acked += batch.length;
      } catch {
        failedSends++;
      }
    }
  };
  const start = performance.now();
  await Promise.all(range(m.concurrency).map(worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    client: clientName,
    mode: m.mode,
    recordBytes: s.recordBytes,
    concurrency: m.concurrency,
    recordsPerSend: m.perSend,
    acked,
    failedSends,
    inLog: await topics.recordCount(topic, s.partitions),
    recordsPerSecond: acked / seconds,
    mbPerSecond: (acked * s.recordBytes) / seconds / 1e6,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
  };
}

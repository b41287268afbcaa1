// Compares kafkajs and @platformatic/kafka (direct, and behind our adapter) against the real
// broker: produce latency and throughput, a consumer group read-back, and a broker restart.
// Run: node --import tsx libs/kafka/bench/kafka-client-comparison.ts [--no-restart]
import { cpus, totalmem } from 'node:os';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackConfig } from '@flowledger/config';
import { BenchTopics, benchRecord, range } from './bench-records.js';
import { ensureBrokerUp, type RestartFigures, runRestartScenario } from './broker-restart-scenario.js';
import { adapterClient, type ClientUnderTest, kafkajsClient, platformaticClient } from './clients-under-test.js';
import { renderReport } from './comparison-report.js';
import {
  type ConsumeFigures,
  type ProduceFigures,
  type ProduceSettings,
  runConsumeScenario,
  runProduceScenarios,
} from './produce-scenarios.js';

export interface ComparisonOptions {
  brokers?: string[];
  /** The checkout (for var/run/kafka.pid and `flowledger stack up`). */
  root?: string;
  /** The restart scenario stops the shared broker for everyone; off for a quick run. */
  restart?: boolean;
  produce?: Partial<ProduceSettings>;
}

export interface ComparisonResult {
  machine: string;
  produce: ProduceFigures[];
  consume: ConsumeFigures[];
  restart: RestartFigures[];
  markdown: string;
}

const defaults: ProduceSettings = {
  recordBytes: 1024,
  partitions: 3,
  keys: 30,
  sequentialSends: 2000,
  concurrentSends: 5000,
  concurrencies: [10, 50],
  batchSize: 100,
  batchedRecords: 20_000,
};

export async function runKafkaClientComparison(options: ComparisonOptions = {}): Promise<ComparisonResult> {
  const brokers = options.brokers ?? loadStackConfig().kafka.brokers;
  const root = options.root ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const settings = { ...defaults, ...options.produce };
  const runId = Date.now().toString(36);
  const topics = new BenchTopics(brokers, runId);
  const clients: ClientUnderTest[] = [kafkajsClient(brokers), platformaticClient(brokers), adapterClient(brokers)];
  const produce: ProduceFigures[] = [];
  const consume: ConsumeFigures[] = [];
  const restart: RestartFigures[] = [];
  try {
    progress('warming up the broker');
    await warmUpBroker(clients[2]!, topics, settings);
    for (const [i, client] of clients.entries()) {
      progress(`${client.name}: produce`);
      const run = await runProduceScenarios(client, topics, settings, `c${i}`);
      produce.push(...run.figures);
      progress(`${client.name}: consumer group`);
      consume.push(await runConsumeScenario(client, run.batchedTopic, settings.batchedRecords, `bench-${runId}-c${i}`));
    }
    // Last, and once per client: it takes the broker away from everyone using it.
    for (const [i, client] of clients.entries()) {
      if (options.restart === false || !client.restartScenario) continue;
      progress(`${client.name}: broker restart`);
      restart.push(
        await runRestartScenario(
          client,
          topics,
          {
            root,
            broker: brokers[0]!,
            records: 3000,
            keys: 10,
            recordBytes: settings.recordBytes,
            partitions: 3,
            paceMs: 5,
            restartAfterMs: 3000,
          },
          `c${i}`,
        ),
      );
    }
  } finally {
    await ensureBrokerUp(root, brokers[0]!);
    await topics.deleteAll();
  }
  const machine = describeMachine(root);
  return {
    machine,
    produce,
    consume,
    restart,
    markdown: renderReport({ machine, settings, produce, consume, restart }),
  };
}

/** The first client measured would otherwise also pay for the broker's JIT and page cache warming up. */
async function warmUpBroker(client: ClientUnderTest, topics: BenchTopics, s: ProduceSettings): Promise<void> {
  const topic = await topics.fresh('broker-warmup', s.partitions);
  const producer = await client.producer('bench-broker-warmup');
  for (const batch of range(100)) {
    await producer.send(range(100).map((i) => benchRecord(topic, s.keys, batch * 100 + i, s.recordBytes)));
  }
  for (const i of range(2000)) await producer.send([benchRecord(topic, s.keys, i, s.recordBytes)]);
  await producer.close();
}

function describeMachine(root: string): string {
  const cpu = cpus();
  const kafkaJar = safeList(join(root, 'var', 'kafka', 'lib')).find((f) => /^kafka-clients-.*\.jar$/.test(f));
  const kafka = kafkaJar?.replace(/^kafka-clients-(.*)\.jar$/, 'Kafka $1') ?? 'Kafka (version unknown)';
  return [
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'})`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Node ${process.version}`,
    `${kafka}, one KRaft node on localhost, replication factor 1`,
  ].join(', ');
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function progress(line: string): void {
  process.stderr.write(`[kafka-clients] ${line}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runKafkaClientComparison({ restart: !process.argv.includes('--no-restart') });
  process.stdout.write(result.markdown);
  // kafkajs leaves timers behind after disconnect; the report is out, so end here.
  process.exit(0);
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchUsageError, type Benchmark } from './benchmark.js';
import { processCpuMs } from './stack-cpu.js';

/** What one fetch costs as a consumer-group member covers more topics (libs/kafka/bench/fetch-cost.ts). */
export const kafkaFetchBenchmark: Benchmark = {
  summary: 'CPU per fetch (client and broker) by the number of topics a member covers',
  usage: `usage: flowledger bench kafka-fetch [--topics 20,500] [--seconds 10] [--json]
  --topics    member sizes to measure, in topics (default 20,500); missing ones are created as
              flowledger.bench-fetch-cost.NNNNN (one partition each) and kept for the next run
  --seconds   measuring time per row (default 10)`,
  async run(args, ctx) {
    const options = parseKafkaFetchArgs(args);
    const { measureFetchCost } = await import('@flowledger/kafka/bench/fetch-cost');
    const pidFile = join(ctx.varDir, 'run', 'kafka.pid');
    const brokerPid = existsSync(pidFile)
      ? (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid
      : undefined;
    const brokerCpuMs = brokerPid === undefined ? undefined : () => processCpuMs(brokerPid);
    const result = await measureFetchCost({ brokers: ctx.config.kafka.brokers, brokerCpuMs, ...options });
    ctx.stdout.write(options.json ? `${JSON.stringify(result.rows, null, 2)}\n` : result.markdown);
    return 0;
  },
};

export function parseKafkaFetchArgs(args: string[]): { topicCounts: number[]; seconds: number; json: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      topics: { type: 'string', default: '20,500' },
      seconds: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const topicCounts = values.topics.split(',').map((v) => Number(v.trim()));
  if (topicCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000)) {
    throw new BenchUsageError(`--topics takes whole numbers from 1 to 10,000, got "${values.topics}"`);
  }
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) {
    throw new BenchUsageError(`--seconds takes 1 to 600, got "${values.seconds}"`);
  }
  return { topicCounts, seconds, json: values.json };
}

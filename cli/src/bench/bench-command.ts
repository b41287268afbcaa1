/**
 * `flowledger bench <benchmark> [options]` — measurements against the running stack
 * (DESIGN.md §10: speed is measured here, never in timed tests). Each benchmark is one entry
 * of BENCHMARKS with its own options; it prints a Markdown report (or JSON with --json).
 */
import { BenchUsageError, type BenchContext, type Benchmark } from './benchmark.js';
import { proposeBenchmark } from './propose/propose-command.js';
import { kafkaClientsBenchmark } from './kafka-clients-command.js';
import { kafkaFetchBenchmark } from './kafka-fetch-command.js';
import { handoffBenchmark } from './handoff-bench.js';
import { rebuildBenchmark } from './rebuild-bench.js';
import { snapshotBenchmark } from './snapshot-bench.js';

/** Every benchmark, by the name given on the command line. */
export const BENCHMARKS: Record<string, Benchmark> = {
  propose: proposeBenchmark,
  'kafka-clients': kafkaClientsBenchmark,
  'kafka-fetch': kafkaFetchBenchmark,
  snapshot: snapshotBenchmark,
  rebuild: rebuildBenchmark,
  handoff: handoffBenchmark,
};

export function benchUsage(): string {
  const names = Object.entries(BENCHMARKS).map(([name, b]) => `  ${name.padEnd(14)} ${b.summary}`);
  return `usage: flowledger bench <benchmark> [options] [--json]\n\nbenchmarks:\n${names.join('\n')}\n`;
}

export async function benchCommand(args: string[], ctx: BenchContext): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    ctx.stdout.write(benchUsage());
    return name === undefined ? 2 : 0;
  }
  const benchmark = BENCHMARKS[name];
  if (!benchmark) {
    ctx.stderr.write(`flowledger bench: unknown benchmark "${name}"\n\n${benchUsage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(`${benchmark.usage}\n`);
    return 0;
  }
  try {
    return await benchmark.run(rest, ctx);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof BenchUsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      ctx.stderr.write(`flowledger bench ${name}: ${(error as Error).message}\n${benchmark.usage}\n`);
      return 2;
    }
    throw error;
  }
}

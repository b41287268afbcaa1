/**
 * What every benchmark is: its own options, a Markdown (or JSON) report, and usage mistakes
 * reported as such. Kept apart from `bench-command.ts`, which imports every benchmark, so a
 * benchmark module can be loaded on its own (as its tests do).
 */
import type { StackConfig } from '@flowledger/config';

export interface BenchContext {
  config: StackConfig;
  root: string;
  varDir: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface Benchmark {
  /** One line for `flowledger bench --help`. */
  summary: string;
  usage: string;
  run(args: string[], ctx: BenchContext): Promise<number>;
}

/** A usage mistake: reported with the benchmark's usage, exit code 2. */
export class BenchUsageError extends Error {}

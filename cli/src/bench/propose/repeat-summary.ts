import type { ProposeBenchResult, ProposeScenario } from './propose-bench.js';

/** One configuration's percentiles over repeated runs: the median run and the range. */
export interface RepeatedScenario {
  mode: ProposeScenario['mode'];
  size: string;
  editors: number;
  runs: number;
  p50Ms: Spread;
  p95Ms: Spread;
  p99Ms: Spread;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/**
 * The same configuration run several times: a paced run's p95 moves by several milliseconds from
 * one 20-s run to the next on a small machine, so one run says little about a change (pure).
 */
export function summarizeRepeats(results: ProposeBenchResult[]): RepeatedScenario[] {
  const byConfig = new Map<string, ProposeScenario[]>();
  for (const s of results.flatMap((r) => r.scenarios)) {
    const key = `${s.mode}|${s.size}|${s.editors}`;
    byConfig.set(key, [...(byConfig.get(key) ?? []), s]);
  }
  return [...byConfig.values()].map((runs) => ({
    mode: runs[0]!.mode,
    size: runs[0]!.size,
    editors: runs[0]!.editors,
    runs: runs.length,
    p50Ms: spread(runs.map((s) => s.latency.p50Ms)),
    p95Ms: spread(runs.map((s) => s.latency.p95Ms)),
    p99Ms: spread(runs.map((s) => s.latency.p99Ms)),
  }));
}

function spread(values: number[]): Spread {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export function renderRepeatSummary(rows: RepeatedScenario[], command: string): string {
  const cell = (s: Spread) =>
    Number.isFinite(s.median) ? `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '–';
  return [
    '### propose — repeated runs',
    '',
    `- Command: \`${command}\`; each run's own report follows.`,
    '- Per configuration: the median over the runs, and in brackets the lowest and highest run.',
    '',
    '| mode | diagram | editors | runs | p50 ms | p95 ms | p99 ms |',
    '| --- | --- | ---: | ---: | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.mode} | ${r.size} | ${r.editors} | ${r.runs} | ${cell(r.p50Ms)} | ${cell(r.p95Ms)} | ${cell(r.p99Ms)} |`,
    ),
    '',
  ].join('\n');
}

/**
 * The command service's per-step histogram (`flowledger_propose_step_duration_seconds{step}`),
 * read from its Prometheus endpoint before and after a run. Only `_sum` and `_count` are used,
 * so the figures are means per step; percentiles per step would need the raw samples.
 */
export const STEP_HISTOGRAM = 'flowledger_propose_step_duration_seconds';
// parse runs only when a diagram is not in the service's memory yet (or after a failed proposal).
// xsd-validator: validator-py's own time (parse + validate) within xsd, from its own histogram.
export const PROPOSE_STEPS = [
  'parse',
  'apply',
  'serialize',
  'xsd',
  'xsd-validator',
  'lint',
  'ledger',
  'kafka',
] as const;
const VALIDATOR_HISTOGRAM = 'flowledger_xsd_validator_duration_seconds';

export interface StepTotals {
  sumSeconds: number;
  count: number;
  /** Cumulative counts by upper bound in seconds (`le`; +Inf as Infinity), when exposed. */
  buckets?: Map<number, number>;
}

/** `step` → its running totals, from Prometheus text exposition format. */
export function parseStepTotals(exposition: string): Map<string, StepTotals> {
  const totals = new Map<string, StepTotals>();
  const line = new RegExp(`^${STEP_HISTOGRAM}_(sum|count)\\{([^}]*)\\}\\s+(\\S+)`);
  const validatorLine = new RegExp(`^${VALIDATOR_HISTOGRAM}_(sum|count)\\s+(\\S+)`);
  const bucketLine = new RegExp(`^(${STEP_HISTOGRAM}|${VALIDATOR_HISTOGRAM})_bucket\\{([^}]*)\\}\\s+(\\S+)`);
  const entryOf = (step: string) => {
    const entry = totals.get(step) ?? { sumSeconds: 0, count: 0 };
    totals.set(step, entry);
    return entry;
  };
  for (const text of exposition.split('\n')) {
    const bucket = bucketLine.exec(text);
    if (bucket) {
      const step = bucket[1] === VALIDATOR_HISTOGRAM ? 'xsd-validator' : /(?:^|,)step="([^"]*)"/.exec(bucket[2]!)?.[1];
      const le = /(?:^|,)le="([^"]*)"/.exec(bucket[2]!)?.[1];
      if (step === undefined || le === undefined) continue;
      const entry = entryOf(step);
      (entry.buckets ??= new Map()).set(le === '+Inf' ? Infinity : Number(le), Number(bucket[3]));
      continue;
    }
    const validator = validatorLine.exec(text);
    if (validator) {
      const entry = entryOf('xsd-validator');
      if (validator[1] === 'sum') entry.sumSeconds = Number(validator[2]);
      else entry.count = Number(validator[2]);
      continue;
    }
    const match = line.exec(text);
    if (!match) continue;
    const step = /(?:^|,)step="([^"]*)"/.exec(match[2]!)?.[1];
    if (step === undefined) continue;
    const entry = entryOf(step);
    if (match[1] === 'sum') entry.sumSeconds = Number(match[3]);
    else entry.count = Number(match[3]);
  }
  return totals;
}

export interface StepMean {
  step: string;
  count: number;
  meanMs: number;
  /**
   * The 95th percentile estimated from the histogram's buckets between the scrapes, as
   * Prometheus' histogram_quantile does: linear within the bucket it falls in (the last finite
   * bound when it falls beyond). Absent without buckets.
   */
  p95Ms?: number;
}

/** Mean time per step between two scrapes (steps that did not run are left out). */
export function stepMeansBetween(before: Map<string, StepTotals>, after: Map<string, StepTotals>): StepMean[] {
  const steps = [
    ...PROPOSE_STEPS,
    ...[...after.keys()].filter((s) => !(PROPOSE_STEPS as readonly string[]).includes(s)),
  ];
  const means: StepMean[] = [];
  for (const step of steps) {
    const a = after.get(step);
    if (!a) continue;
    const b = before.get(step) ?? { sumSeconds: 0, count: 0 };
    const count = a.count - b.count;
    if (count <= 0) continue;
    const p95 = a.buckets && quantileBetween(0.95, b.buckets ?? new Map(), a.buckets);
    means.push({
      step,
      count,
      meanMs: ((a.sumSeconds - b.sumSeconds) / count) * 1000,
      ...(p95 === undefined ? {} : { p95Ms: p95 * 1000 }),
    });
  }
  return means;
}

/** The `q` quantile (seconds) of what the cumulative buckets gained between two scrapes. */
export function quantileBetween(
  q: number,
  before: Map<number, number>,
  after: Map<number, number>,
): number | undefined {
  const bounds = [...after.keys()].sort((x, y) => x - y);
  const gained = bounds.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const total = gained[gained.length - 1] ?? 0;
  if (total <= 0 || bounds[bounds.length - 1] !== Infinity) return undefined;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (gained[i]! < rank) continue;
    const upper = bounds[i]!;
    const lower = i === 0 ? 0 : bounds[i - 1]!;
    if (upper === Infinity) return lower;
    const below = i === 0 ? 0 : gained[i - 1]!;
    return lower + ((upper - lower) * (rank - below)) / (gained[i]! - below);
  }
  return undefined;
}

/** Scrapes the endpoint; undefined (and the reason) when it cannot be read. */
export async function scrapeStepTotals(
  metricsUrl: string,
): Promise<{ totals: Map<string, StepTotals> } | { error: string }> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return { error: `${metricsUrl}: HTTP ${response.status}` };
    return { totals: parseStepTotals(await response.text()) };
  } catch (error) {
    return { error: `${metricsUrl}: ${(error as Error).message}` };
  }
}

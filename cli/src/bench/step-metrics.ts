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
}

/** `step` → its running totals, from Prometheus text exposition format. */
export function parseStepTotals(exposition: string): Map<string, StepTotals> {
  const totals = new Map<string, StepTotals>();
  const line = new RegExp(`^${STEP_HISTOGRAM}_(sum|count)\\{([^}]*)\\}\\s+(\\S+)`);
  const validatorLine = new RegExp(`^${VALIDATOR_HISTOGRAM}_(sum|count)\\s+(\\S+)`);
  for (const text of exposition.split('\n')) {
    const validator = validatorLine.exec(text);
    if (validator) {
      const entry = totals.get('xsd-validator') ?? { sumSeconds: 0, count: 0 };
      if (validator[1] === 'sum') entry.sumSeconds = Number(validator[2]);
      else entry.count = Number(validator[2]);
      totals.set('xsd-validator', entry);
      continue;
    }
    const match = line.exec(text);
    if (!match) continue;
    const step = /(?:^|,)step="([^"]*)"/.exec(match[2]!)?.[1];
    if (step === undefined) continue;
    const entry = totals.get(step) ?? { sumSeconds: 0, count: 0 };
    if (match[1] === 'sum') entry.sumSeconds = Number(match[3]);
    else entry.count = Number(match[3]);
    totals.set(step, entry);
  }
  return totals;
}

export interface StepMean {
  step: string;
  count: number;
  meanMs: number;
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
    means.push({ step, count, meanMs: ((a.sumSeconds - b.sumSeconds) / count) * 1000 });
  }
  return means;
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

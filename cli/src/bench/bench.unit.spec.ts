import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatencies } from './latency-stats.js';
import { parseStepTotals, quantileBetween, stepMeansBetween } from './step-metrics.js';
import { parseProposeArgs } from './propose/propose-command.js';
import { parseProjectionLag } from './propose/projection-lag.js';
import { CHANGE_CYCLE, smallChange, type EditAnchor } from './propose/small-changes.js';
import { BenchUsageError } from './benchmark.js';
import { parseKafkaFetchArgs } from './kafka-fetch-command.js';
import type { ProposeBenchResult, ProposeScenario } from './propose/propose-bench.js';
import { renderRepeatSummary, summarizeRepeats } from './propose/repeat-summary.js';

const exposition = (applySum: number, applyCount: number, validatorSum: number) => `
# HELP flowledger_propose_step_duration_seconds Time spent in each step of the write path
# TYPE flowledger_propose_step_duration_seconds histogram
flowledger_propose_step_duration_seconds_bucket{le="0.001",step="apply"} ${applyCount - 10}
flowledger_propose_step_duration_seconds_bucket{le="0.005",step="apply"} ${applyCount}
flowledger_propose_step_duration_seconds_bucket{le="+Inf",step="apply"} ${applyCount}
flowledger_propose_step_duration_seconds_sum{step="apply"} ${applySum}
flowledger_propose_step_duration_seconds_count{step="apply"} ${applyCount}
flowledger_propose_step_duration_seconds_sum{step="kafka"} 0.5
flowledger_propose_step_duration_seconds_count{step="kafka"} 10
flowledger_xsd_validator_duration_seconds_sum ${validatorSum}
flowledger_xsd_validator_duration_seconds_count ${applyCount}
flowledger_propose_duration_seconds_sum{outcome="applied"} 9
`;

describe('latency statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.95)).toBe(95);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it('summarizes unsorted samples', () => {
    const s = summarizeLatencies([3, 1, 2]);
    expect(s).toMatchObject({ count: 3, p50Ms: 2, maxMs: 3, meanMs: 2 });
    expect(summarizeLatencies([]).count).toBe(0);
  });
});

describe('step metrics', () => {
  it('reads _sum and _count per step and the validator histogram', () => {
    const totals = parseStepTotals(exposition(0.2, 100, 0.1));
    expect(totals.get('apply')).toEqual({
      sumSeconds: 0.2,
      count: 100,
      buckets: new Map([
        [0.001, 90],
        [0.005, 100],
        [Infinity, 100],
      ]),
    });
    expect(totals.get('kafka')).toEqual({ sumSeconds: 0.5, count: 10 });
    expect(totals.get('xsd-validator')).toEqual({ sumSeconds: 0.1, count: 100 });
  });

  it('gives the mean of the steps that ran between two scrapes', () => {
    const means = stepMeansBetween(
      parseStepTotals(exposition(0.2, 100, 0.1)),
      parseStepTotals(exposition(0.5, 200, 0.3)),
    );
    expect(means.map((m) => m.step)).toEqual(['apply', 'xsd-validator']); // kafka did not move
    expect(means[0]!.count).toBe(100);
    expect(means[0]!.meanMs).toBeCloseTo(3);
    expect(means[1]!.meanMs).toBeCloseTo(2);
    // The 100 more all fell under 1 ms (90 → 190): rank 95 lies at 95 % of the first bucket.
    expect(means[0]!.p95Ms).toBeCloseTo(0.95);
    expect(means[1]!.p95Ms).toBeUndefined(); // no buckets exposed
  });

  it('estimates a quantile from bucket gains like histogram_quantile, the last finite bound beyond it', () => {
    const before = new Map([
      [0.01, 5],
      [0.1, 5],
      [Infinity, 5],
    ]);
    const after = new Map([
      [0.01, 15], // 10 gained ≤ 10 ms
      [0.1, 25], // 10 gained in 10..100 ms
      [Infinity, 25],
    ]);
    expect(quantileBetween(0.5, before, after)).toBeCloseTo(0.01);
    expect(quantileBetween(0.75, before, after)).toBeCloseTo(0.055);
    expect(quantileBetween(0.25, before, after)).toBeCloseTo(0.005);
    const beyond = new Map([...after, [Infinity, 45]]); // 20 more slower than 100 ms
    expect(quantileBetween(0.95, before, beyond)).toBe(0.1);
    expect(quantileBetween(0.95, after, after)).toBeUndefined(); // nothing ran
  });
});

describe('projection lag', () => {
  it('reads the lag gauge per consumer group and nothing else', () => {
    const text = [
      '# TYPE flowledger_projection_lag gauge',
      'flowledger_projection_lag{group="flowledger.projector.postgres.v1"} 12',
      'flowledger_projection_lag{group="flowledger.projector.neo4j.v1"} 0',
      'flowledger_projection_apply_seconds_count{projection="postgres"} 3',
    ].join('\n');
    expect(parseProjectionLag(text)).toEqual(
      new Map([
        ['flowledger.projector.postgres.v1', 12],
        ['flowledger.projector.neo4j.v1', 0],
      ]),
    );
  });
});

describe('small changes', () => {
  const anchor: EditAnchor = { taskId: 'T', processId: 'P', bounds: { x: 100, y: 100, width: 100, height: 80 } };

  it('cycles move, rename, create task + flow, delete it', () => {
    const kinds = CHANGE_CYCLE.map((_, step) => smallChange(anchor, 3, step, { createdTaskId: 'Task_9_1' }).kind);
    expect(kinds).toEqual(['move', 'rename', 'create-task-and-flow', 'delete-task']);
    const create = smallChange(anchor, 3, 2, {}).operations;
    expect(create.map((o) => o.kind)).toEqual(['createShape', 'createConnection']);
    expect(smallChange(anchor, 3, 3, { createdTaskId: 'Task_9_1' }).operations).toEqual([
      { kind: 'deleteElements', elementIds: ['Task_9_1'] },
    ]);
  });

  it('moves right, then back, so the shape stays where it was', () => {
    const dx = (step: number) => (smallChange(anchor, 0, step, {}).operations[0] as { delta: { x: number } }).delta.x;
    expect(dx(0) + dx(CHANGE_CYCLE.length)).toBe(0);
  });

  it('renames instead of deleting when nothing was created', () => {
    expect(smallChange(anchor, 0, 3, {}).kind).toBe('rename');
  });
});

describe('bench propose options', () => {
  it('defaults to 1,10,50 editors on both sizes, both modes, 15 s per run', () => {
    expect(parseProposeArgs([])).toEqual({
      editors: [1, 10, 50],
      sizes: ['10kb', '100kb'],
      modes: ['own', 'shared'],
      stop: { durationMs: 15_000 },
      thinkMs: 0,
      repeat: 1,
      metricsUrl: undefined,
      json: false,
    });
  });

  it('reads --proposals, --sizes, --json', () => {
    const a = parseProposeArgs(['--editors', '2', '--sizes', '100KB', '--proposals', '40', '--json']);
    expect(a).toMatchObject({ editors: [2], sizes: ['100kb'], stop: { proposals: 40 }, json: true });
  });

  it('refuses unknown sizes, both stop rules, and non-numbers', () => {
    expect(() => parseProposeArgs(['--sizes', '1mb'])).toThrow(BenchUsageError);
    expect(() => parseProposeArgs(['--duration', '5', '--proposals', '5'])).toThrow(BenchUsageError);
    expect(() => parseProposeArgs(['--editors', 'ten'])).toThrow(BenchUsageError);
  });

  it('repeats the set up to 20 times, naming the limit beyond', () => {
    expect(parseProposeArgs(['--repeat', '3']).repeat).toBe(3);
    expect(() => parseProposeArgs(['--repeat', '21'])).toThrow(/at most 20 runs/);
    expect(() => parseProposeArgs(['--repeat', '0'])).toThrow(BenchUsageError);
  });
});

describe('bench propose repeated runs', () => {
  const scenario = (size: string, editors: number, p95Ms: number) =>
    ({
      mode: 'own',
      size,
      editors,
      latency: { count: 100, p50Ms: p95Ms / 2, p95Ms, p99Ms: p95Ms + 10, meanMs: 0, maxMs: 0 },
    }) as unknown as ProposeScenario;
  const run = (...scenarios: ProposeScenario[]) => ({ scenarios }) as unknown as ProposeBenchResult;

  it('gives each configuration the median run and the range, over runs in any order', () => {
    const rows = summarizeRepeats([
      run(scenario('10kb', 10, 30), scenario('100kb', 10, 40)),
      run(scenario('10kb', 10, 20), scenario('100kb', 10, 50)),
      run(scenario('10kb', 10, 24), scenario('100kb', 10, 36)),
    ]);
    expect(rows).toEqual([
      expect.objectContaining({ size: '10kb', runs: 3, p95Ms: { median: 24, min: 20, max: 30 } }),
      expect.objectContaining({ size: '100kb', runs: 3, p95Ms: { median: 40, min: 36, max: 50 } }),
    ]);
    expect(rows[0]!.p99Ms).toEqual({ median: 34, min: 30, max: 40 });
  });

  it('takes the middle two of an even number of runs, and renders one row per configuration', () => {
    const rows = summarizeRepeats([run(scenario('10kb', 1, 10)), run(scenario('10kb', 1, 14))]);
    expect(rows[0]!.p95Ms).toEqual({ median: 12, min: 10, max: 14 });
    expect(renderRepeatSummary(rows, 'cmd')).toContain(
      '| own | 10kb | 1 | 2 | 6.0 (5.0–7.0) | 12.0 (10.0–14.0) | 22.0 (20.0–24.0) |',
    );
  });
});

describe('bench kafka-fetch options', () => {
  it('defaults to members of 20 and 500 topics, 10 s per row', () => {
    expect(parseKafkaFetchArgs([])).toEqual({ topicCounts: [20, 500], seconds: 10, json: false });
    expect(parseKafkaFetchArgs(['--topics', '5, 1000', '--seconds', '3', '--json'])).toEqual({
      topicCounts: [5, 1000],
      seconds: 3,
      json: true,
    });
  });

  it('refuses sizes and times it cannot measure, naming the limit', () => {
    expect(() => parseKafkaFetchArgs(['--topics', '0'])).toThrow(/1 to 10,000/);
    expect(() => parseKafkaFetchArgs(['--topics', '20,many'])).toThrow(BenchUsageError);
    expect(() => parseKafkaFetchArgs(['--seconds', '0.5'])).toThrow(/1 to 600/);
  });
});

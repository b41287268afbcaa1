import { parseArgs } from 'node:util';
import { BenchUsageError, type Benchmark } from '../benchmark.js';
import type { StopRule } from './editing-run.js';
import { DIAGRAM_SIZES, runProposeBench, type EditingMode } from './propose-bench.js';
import { renderProposeReport } from './propose-report.js';
import { renderRepeatSummary, summarizeRepeats } from './repeat-summary.js';

/** Repeated runs of the whole set, at most (each takes the set's full time). */
const MAX_REPEAT = 20;

const USAGE = `usage: flowledger bench propose [--editors 1,10,50] [--sizes 10kb,100kb] [--modes own,shared]
                               [--duration SECONDS | --proposals N] [--think-ms MS] [--repeat N] [--metrics-url URL] [--lag-urls URL,URL] [--json]
  --editors      concurrent editors per run (default 1,10,50)
  --sizes        diagrams: ${Object.entries(DIAGRAM_SIZES)
    .map(([k, v]) => `${k} = MIWG ${v}`)
    .join(', ')}
  --modes        own = one diagram per editor (the headline), shared = all editors on one diagram
  --duration     seconds per run (default 15); --proposals N: N proposals per run instead
  --think-ms     each editor's mean pause after each answer, random (exponential) so editors do not move in
                 lockstep (default 0: back to back, i.e. saturation)
  --repeat       runs of the whole set (default 1, at most 20): the report opens with each configuration's
                 median and range over the runs, since one paced run's p95 moves by several ms
  --metrics-url  the command service's Prometheus endpoint (default http://localhost:$FLOWLEDGER_COMMAND_METRICS_PORT/metrics, port 9464)
  --lag-urls     the projectors' endpoints scraped for consumer lag during each run (default the projectors' :9466 and the snapshotter's :9467)
  --json         the result as JSON instead of Markdown`;

export interface ProposeArgs {
  editors: number[];
  sizes: string[];
  modes: EditingMode[];
  stop: StopRule;
  thinkMs: number;
  repeat: number;
  metricsUrl?: string;
  lagUrls?: string[];
  json: boolean;
}

/** Exported for tests; throws BenchUsageError for anything it cannot read. */
export function parseProposeArgs(args: string[]): ProposeArgs {
  const { values } = parseArgs({
    args,
    options: {
      editors: { type: 'string', default: '1,10,50' },
      sizes: { type: 'string', default: '10kb,100kb' },
      modes: { type: 'string', default: 'own,shared' },
      duration: { type: 'string' },
      proposals: { type: 'string' },
      'think-ms': { type: 'string', default: '0' },
      repeat: { type: 'string', default: '1' },
      'metrics-url': { type: 'string' },
      'lag-urls': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const editors = list(values.editors).map((e) => positiveInt('--editors', e));
  const sizes = list(values.sizes).map((s) => s.toLowerCase());
  for (const size of sizes) {
    if (!(size in DIAGRAM_SIZES))
      throw new BenchUsageError(`--sizes: unknown size "${size}" (${Object.keys(DIAGRAM_SIZES).join(', ')})`);
  }
  const modes = list(values.modes) as EditingMode[];
  for (const mode of modes) {
    if (mode !== 'own' && mode !== 'shared') throw new BenchUsageError(`--modes: unknown mode "${mode}" (own, shared)`);
  }
  if (values.duration !== undefined && values.proposals !== undefined)
    throw new BenchUsageError('give --duration or --proposals, not both');
  const stop: StopRule =
    values.proposals !== undefined
      ? { proposals: positiveInt('--proposals', values.proposals) }
      : { durationMs: positiveNumber('--duration', values.duration ?? '15') * 1000 };
  const thinkMs = Number(values['think-ms']);
  if (!Number.isFinite(thinkMs) || thinkMs < 0)
    throw new BenchUsageError(`--think-ms: not a number ≥ 0: "${values['think-ms']}"`);
  const repeat = positiveInt('--repeat', values.repeat);
  if (repeat > MAX_REPEAT) throw new BenchUsageError(`--repeat: at most ${MAX_REPEAT} runs, got ${repeat}`);
  const lagUrls = values['lag-urls'] === undefined ? undefined : list(values['lag-urls']);
  return {
    editors,
    sizes,
    modes,
    stop,
    thinkMs,
    repeat,
    metricsUrl: values['metrics-url'],
    lagUrls,
    json: values.json,
  };
}

export const proposeBenchmark: Benchmark = {
  summary: 'accept latency and throughput of small changes at 1..N concurrent editors, with time per step',
  usage: USAGE,
  async run(args, ctx) {
    const parsed = parseProposeArgs(args);
    const metricsUrl =
      parsed.metricsUrl ?? `http://${ctx.config.host}:${process.env.FLOWLEDGER_COMMAND_METRICS_PORT ?? '9464'}/metrics`;
    const lagUrls = parsed.lagUrls ?? [
      `http://${ctx.config.host}:${process.env.FLOWLEDGER_PROJECTORS_METRICS_PORT ?? '9466'}/metrics`,
      `http://${ctx.config.host}:${process.env.FLOWLEDGER_SNAPSHOTTER_METRICS_PORT ?? '9467'}/metrics`,
    ];
    const results = [];
    for (let run = 1; run <= parsed.repeat; run++) {
      const label = parsed.repeat > 1 ? `[bench propose, run ${run} of ${parsed.repeat}]` : '[bench propose]';
      results.push(
        await runProposeBench({
          ...parsed,
          metricsUrl,
          lagUrls,
          root: ctx.root,
          varDir: ctx.varDir,
          config: ctx.config,
          progress: (line) => ctx.stderr.write(`${label} ${line}\n`),
        }),
      );
    }
    const command = `npx flowledger bench propose ${args.join(' ')}`.trim();
    if (parsed.json) {
      const body = parsed.repeat > 1 ? { repeated: summarizeRepeats(results), runs: results } : results[0];
      ctx.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      const reports = results.map((result) => renderProposeReport(result, command));
      if (parsed.repeat > 1) reports.unshift(renderRepeatSummary(summarizeRepeats(results), command));
      ctx.stdout.write(reports.join('\n'));
    }
    const failed = results.some((r) => r.scenarios.some((s) => s.errors > 0));
    return failed ? 1 : 0;
  },
};

function list(value: string): string[] {
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  if (items.length === 0) throw new BenchUsageError(`empty list "${value}"`);
  return items;
}

function positiveInt(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`${option}: not a positive whole number: "${text}"`);
  return n;
}

function positiveNumber(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new BenchUsageError(`${option}: not a positive number: "${text}"`);
  return n;
}

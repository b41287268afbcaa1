import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createLedger } from '@flowledger/ledger';
import { currentSigningKey, loadOrCreateSigningKeys, mintDevToken } from '@flowledger/oidc';
import { createProgress } from '../recovery/progress-bars.js';
import { parseReadModels, type ReadModelName } from '../recovery/read-models.js';
import { rebuildReadModels } from '../recovery/rebuild/rebuild.js';
import { BenchUsageError, type Benchmark, type BenchContext } from './benchmark.js';
import { describeMachine, machineInfo, type MachineInfo } from './machine-info.js';
import { ModelingEdgeClient } from './propose/modeling-edge-client.js';
import { seedOperations, type Edits } from './bench-edits.js';
import { describeCpuReference, measureCpuReference, type CpuReference } from './cpu-reference.js';
import { coreBoundSeconds, describeCpuWindow, startCpuWindow, type CpuWindow } from './stack-cpu.js';

const USAGE = `usage: flowledger bench rebuild [--read-model postgres|neo4j|snapshots|all] [--from snapshots|scratch|both] [--tenant T | --diagrams N --versions M [--edits grow|steady [--tasks K]]] [--runs R] [--json]
  --read-model  what to rebuild (default all: the three together, each event decoded once)
  --from        where each diagram starts: its latest snapshot (what \`rebuild\` does), version 1
                (\`rebuild --from-scratch\`), or each run both ways (default)
  --tenant      rebuild an existing tenant's read models (they are reset and rebuilt: harmless, but they are busy meanwhile)
  --diagrams, --versions   otherwise: a fresh tenant with N diagrams × M versions made through the command service (default 20 × 50)
  --edits       how the fresh tenant's versions change a diagram: grow (default) adds a task each, so
                a diagram ends with M tasks; steady adds K (--tasks, default 10), then renames one of
                them per version, so diagrams keep their size
  --runs        rebuilds to time (default 3)`;

type StartPoint = 'snapshots' | 'scratch';

/** The issue's target: all three read models together. */
const TARGET_EVENTS_PER_SECOND = 20_000;

export interface RebuildBenchResult {
  machine: MachineInfo;
  /** Measured after the runs (its warm-up would otherwise speed the first run up). */
  cpuReference?: CpuReference;
  startedAt: string;
  tenant: string;
  readModels: ReadModelName[];
  events: number;
  diagrams: number;
  /** The mean size of the diagrams' newest versions (canonical XML, bytes). */
  meanDiagramBytes: number;
  runs: Array<{
    from: StartPoint;
    seconds: number;
    switchSeconds: number;
    replayedEvents: number;
    fromSnapshots: number;
    eventsPerSecond: number;
    /** Where the run's CPU went (Linux only): `bench` is the rebuilding process. */
    cpu?: CpuWindow;
    /** Tables Postgres' autovacuum was working on as the run began: its work counts in Postgres' CPU and slows the run. */
    autovacuum: string[];
  }>;
  bestEventsPerSecond: number;
  targetEventsPerSecond: number;
}

/** `flowledger bench rebuild`: rebuild throughput in events/s from the real streams. */
export const rebuildBenchmark: Benchmark = {
  summary: 'rebuild throughput in events/s (target ≥ 20,000/s for all three read models together)',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseArgs({
      args,
      options: {
        'read-model': { type: 'string', default: 'all' },
        from: { type: 'string', default: 'both' },
        tenant: { type: 'string' },
        diagrams: { type: 'string', default: '20' },
        versions: { type: 'string', default: '50' },
        edits: { type: 'string', default: 'grow' },
        tasks: { type: 'string', default: '10' },
        runs: { type: 'string', default: '3' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const readModels = parseReadModels(values['read-model']);
    const starts = parseStarts(values.from);
    const runs = positive('--runs', values.runs);
    const edits = parseEdits(values.edits, values.tasks);
    const startedAt = new Date().toISOString();
    const tenant =
      values.tenant ??
      (await seedTenant(ctx, positive('--diagrams', values.diagrams), positive('--versions', values.versions), edits));
    const pool = new pg.Pool({ connectionString: ctx.config.postgres.url, max: 4 });
    const progress = createProgress(process.stderr);
    const result: RebuildBenchResult = {
      machine: machineInfo(),
      startedAt,
      tenant,
      readModels,
      events: 0,
      meanDiagramBytes: 0,
      diagrams: 0,
      runs: [],
      bestEventsPerSecond: 0,
      targetEventsPerSecond: TARGET_EVENTS_PER_SECOND,
    };
    try {
      result.meanDiagramBytes = await meanDiagramBytes(pool, tenant);
      for (let i = 0; i < runs; i++) {
        for (const from of starts) {
          const fromScratch = from === 'scratch';
          const autovacuum = await autovacuumTables(pool);
          // The stack's CPU over the timed rebuild only, not the opening and closing of the read models.
          let endCpuWindow: (() => CpuWindow | undefined) | undefined;
          let cpu: CpuWindow | undefined;
          const report = await rebuildReadModels(readModels, tenant, {
            config: ctx.config,
            pool,
            progress,
            fromScratch,
            onPhase: (phase) => {
              if (phase === 'started') endCpuWindow = startCpuWindow(ctx.varDir);
              if (phase === 'switched') cpu = endCpuWindow?.();
            },
          });
          if (report.failures.length > 0) {
            const [first] = report.failures;
            throw new Error(`${report.failures.length} diagram(s) could not be rebuilt, first ${first!.message}`);
          }
          result.events = report.events;
          result.diagrams = report.diagrams;
          const { seconds, switchSeconds, replayedEvents, fromSnapshots, eventsPerSecond } = report;
          result.runs.push({
            from,
            seconds,
            switchSeconds,
            replayedEvents,
            fromSnapshots,
            eventsPerSecond,
            cpu,
            autovacuum,
          });
        }
      }
      result.cpuReference = await measureCpuReference();
    } finally {
      progress.stop();
      await pool.end();
    }
    // The headline: what `rebuild` does (from snapshots) when that was measured.
    const headline = result.runs.filter((r) => r.from === starts[0]);
    result.bestEventsPerSecond = Math.max(...headline.map((r) => r.eventsPerSecond));
    ctx.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderRebuildReport(result, args));
    return 0;
  },
};

export function renderRebuildReport(r: RebuildBenchResult, args: string[]): string {
  const best = (from: StartPoint) =>
    Math.max(0, ...r.runs.filter((x) => x.from === from).map((x) => x.eventsPerSecond));
  const verdict = (eventsPerSecond: number) =>
    r.readModels.length !== 3 ? 'n/a (not all three)' : eventsPerSecond >= r.targetEventsPerSecond ? 'met' : 'missed';
  const lines = (['snapshots', 'scratch'] as const)
    .filter((from) => r.runs.some((x) => x.from === from))
    .map(
      (from) =>
        `- From ${from === 'snapshots' ? 'the latest snapshots (`rebuild`)' : 'scratch (`rebuild --from-scratch`)'}: best ${Math.round(best(from))} events/s; target ≥ ${r.targetEventsPerSecond} for all three together: **${verdict(best(from))}**.`,
    );
  return [
    '### rebuild — read-model rebuild throughput',
    '',
    `- Machine: ${describeMachine(r.machine)}`,
    ...(r.cpuReference ? [`- CPU reference: ${describeCpuReference(r.cpuReference)}`] : []),
    `- Command: \`npx flowledger bench rebuild ${args.join(' ')}\` (started ${r.startedAt})`,
    `- Tenant ${r.tenant}: ${r.diagrams} diagrams of ${(r.meanDiagramBytes / 1024).toFixed(1)} KB on average at their newest version, ${r.events} events; read models ${r.readModels.join(' + ')}, rebuilt from the topic (decode, replay, hash checks, sink writes, switch). From snapshots, each diagram starts from its latest snapshot and only the events after it are replayed; every event still goes to every read model (history rows).`,
    '',
    '| run | from | diagrams from a snapshot | events replayed | seconds | of which the switch | events/s |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...r.runs.map(
      (x, i) =>
        `| ${i + 1} | ${x.from} | ${x.fromSnapshots} | ${x.replayedEvents} | ${x.seconds.toFixed(2)} | ${x.switchSeconds.toFixed(2)} | ${Math.round(x.eventsPerSecond)} |`,
    ),
    '',
    ...lines,
    ...autovacuumLines(r),
    ...cpuLines(r),
    '',
  ].join('\n');
}

/** Per run, the CPU seconds by component: the cores bound how fast the run could have been. */
function cpuLines(r: RebuildBenchResult): string[] {
  const measured = r.runs.flatMap((x, i) =>
    x.cpu
      ? [`- run ${i + 1}: ${describeCpuWindow(x.cpu)}; ≤ ${Math.round(r.events / coreBoundSeconds(x.cpu))} events/s`]
      : [],
  );
  if (measured.length === 0) return [];
  return [
    '',
    "CPU by component during each run (from /proc, from the rebuild's start to the end of its switch; `bench` is the rebuilding process, a component counts its child processes too). The last figure is the most this work allows on these cores, were every core busy throughout:",
    '',
    ...measured,
  ];
}

/** `--from`: `both` runs each rebuild from snapshots, then from scratch. */
function parseStarts(value: string | undefined): StartPoint[] {
  if (value === 'both') return ['snapshots', 'scratch'];
  if (value === 'snapshots' || value === 'scratch') return [value];
  throw new BenchUsageError(`--from must be snapshots, scratch or both (got ${value ?? 'nothing'})`);
}

/** What the diagrams' size is at their newest versions: per-diagram costs (parse, serialization) follow it. */
async function meanDiagramBytes(pool: pg.Pool, tenant: string): Promise<number> {
  const ledger = createLedger({ pool });
  const { rows } = await pool.query<{ diagram_id: string; current_version: string }>(
    'SELECT diagram_id, current_version FROM diagrams WHERE tenant_id = $1',
    [tenant],
  );
  let bytes = 0;
  for (const r of rows) {
    bytes += Buffer.byteLength((await ledger.getVersionXml(tenant, r.diagram_id, Number(r.current_version))) ?? '');
  }
  return rows.length === 0 ? 0 : bytes / rows.length;
}

function parseEdits(value: string | undefined, tasks: string): Edits {
  if (value === 'grow') return { kind: 'grow' };
  if (value === 'steady') return { kind: 'steady', tasks: positive('--tasks', tasks) };
  throw new BenchUsageError(`--edits must be grow or steady (got ${value ?? 'nothing'})`);
}

/** A fresh tenant with `diagrams` × `versions` real events, proposed through Envoy like any client. */
async function seedTenant(ctx: BenchContext, diagrams: number, versions: number, edits: Edits): Promise<string> {
  const tenant = `benchrb${Date.now().toString(36)}`;
  const key = currentSigningKey(await loadOrCreateSigningKeys(ctx.varDir));
  const token = await mintDevToken(
    { tenant, actor: 'seeder', roles: ['editor'], ttlSeconds: 86_400, issuer: ctx.config.oidc.issuer },
    key,
    new Date(),
  );
  const client = new ModelingEdgeClient(`${ctx.config.host}:${ctx.config.edge.port}`, token);
  const progress = createProgress(process.stderr);
  const step = progress.step('seed events', diagrams * versions, 'events');
  try {
    // A few diagrams at a time: each diagram's versions are sequential by nature.
    const queue = Array.from({ length: diagrams }, (_, i) => i);
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const createTx = randomUUID();
        const { diagramId } = await retryUnavailable(() => client.createDiagram(`rebuild bench ${i}`, '', createTx));
        step.increment();
        for (let v = 2; v <= versions; v++) {
          const tx = randomUUID();
          const outcome = await retryUnavailable(() => client.propose(diagramId, v - 1, seedOperations(v, edits), tx));
          if (outcome.result !== 'applied') throw new Error(`seeding v${v}: ${outcome.code} ${outcome.message}`);
          step.increment();
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    step.done();
    return tenant;
  } finally {
    progress.stop();
    client.close();
  }
}

/** UNAVAILABLE asks to retry with the same transaction id (a broker restart by another test, say). */
async function retryUnavailable<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if ((error as { code?: number }).code !== 14 || attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

function positive(flag: string, value: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`${flag} must be a positive integer (got ${value})`);
  return n;
}

/**
 * What autovacuum works on now. Right after a tenant is seeded it vacuums the tables just
 * written for minutes, and a rebuild measured meanwhile ran ~30 % slower here (stop 21).
 */
async function autovacuumTables(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ query: string }>(
    `SELECT query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND query <> ''`,
  );
  return rows.map((r) => r.query.replace(/^autovacuum:\s*/, ''));
}

function autovacuumLines(r: RebuildBenchResult): string[] {
  const busy = r.runs.flatMap((x, i) => (x.autovacuum.length > 0 ? [`run ${i + 1} (${x.autovacuum.join('; ')})`] : []));
  if (busy.length === 0) return [];
  return [
    `- **Autovacuum was running** as ${busy.join(', ')} began: those runs are slower than the code (measure again once it is done).`,
  ];
}

import { describeMachine } from '../machine-info.js';
import { PROPOSE_STEPS } from '../step-metrics.js';
import type { ProposeBenchResult, ProposeScenario } from './propose-bench.js';

const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');

/** The Markdown report of `flowledger bench propose` (pure). */
export function renderProposeReport(r: ProposeBenchResult, command: string): string {
  const own = r.scenarios.filter((s) => s.mode === 'own');
  const shared = r.scenarios.filter((s) => s.mode === 'shared');
  const lines = [
    `### propose — accept latency of small changes`,
    '',
    `- Machine: ${describeMachine(r.machine)}`,
    `- Command: \`${command}\` (started ${r.startedAt})`,
    `- Path: gRPC client → Envoy (${r.endpoint}, JWT check) → command service → XSD (validator-py) + bpmnlint → Postgres ledger → Kafka; latency measured by the client.`,
    `- Each run: ${'durationMs' in r.stop ? `${r.stop.durationMs / 1000} s` : `${r.stop.proposals} proposals`}; each editor proposes one change after another on the version it last saw, cycling ${r.changeCycle.join(' → ')} (one or two operations each)${r.thinkMs > 0 ? `, and pauses a random time averaging ${r.thinkMs} ms after each answer (exponential: independent editors, a Poisson stream of proposals)` : ', back to back (no pause: saturation)'}.`,
    '',
  ];
  if (own.length > 0) {
    lines.push('**Each editor on its own diagram** (the headline figures):', '', ...latencyTable(own), '');
  }
  if (shared.length > 0) {
    lines.push(
      '**All editors on one diagram** (contended: exactly one proposal per version wins; the others get VERSION_MISMATCH and retry on the current version; latencies are of all answers):',
      '',
      ...latencyTable(shared),
      '',
    );
  }
  lines.push(
    '**Mean time per step in the command service** (ms; `flowledger_propose_step_duration_seconds` _sum/_count deltas, so means, not percentiles; a window also counts other clients\' proposals, shown as "others"):',
    '',
    `| mode | diagram | editors | ${PROPOSE_STEPS.join(' | ')} | others |`,
    `| --- | --- | ---: | ${PROPOSE_STEPS.map(() => '---:').join(' | ')} | ---: |`,
  );
  for (const s of r.scenarios) {
    const cells = PROPOSE_STEPS.map((step) => ms(s.steps.find((m) => m.step === step)?.meanMs ?? Number.NaN));
    lines.push(
      `| ${s.mode} | ${diagram(s)} | ${s.editors} | ${cells.join(' | ')} | ${s.stepsError ? 'n/a' : s.foreignProposals} |`,
    );
  }
  lines.push(
    '',
    "**95th percentile per step** (ms; estimated from the same histograms' buckets — bounds 0.5, 1, 2, 5, 10, 25, 50, 100 ms — linear within a bucket, as Prometheus' histogram_quantile; where the tail of the accept latency comes from):",
    '',
    `| mode | diagram | editors | ${PROPOSE_STEPS.join(' | ')} |`,
    `| --- | --- | ---: | ${PROPOSE_STEPS.map(() => '---:').join(' | ')} |`,
  );
  for (const s of r.scenarios) {
    const cells = PROPOSE_STEPS.map((step) => ms(s.steps.find((m) => m.step === step)?.p95Ms ?? Number.NaN));
    lines.push(`| ${s.mode} | ${diagram(s)} | ${s.editors} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    '**Projector consumer lag during each run** (`flowledger_projection_lag{group}` scraped every second from the projectors and the snapshotter; the gauge itself is refreshed every 5 s; records not yet projected and committed, over all tenants — other load on the stack counts too):',
    '',
    '| mode | diagram | editors | group | max lag | lag at end |',
    '| --- | --- | ---: | --- | ---: | ---: |',
  );
  for (const s of r.scenarios) {
    if (s.projectionLag.length === 0) {
      lines.push(
        `| ${s.mode} | ${diagram(s)} | ${s.editors} | n/a${s.projectionLagError ? ` (${s.projectionLagError})` : ''} | – | – |`,
      );
    }
    for (const g of s.projectionLag) {
      lines.push(`| ${s.mode} | ${diagram(s)} | ${s.editors} | ${g.group} | ${g.max} | ${g.last} |`);
    }
  }
  lines.push(...cpuTable(r.scenarios));
  if (r.errorSamples.length > 0)
    lines.push('', 'Errors and refusals seen:', '', ...r.errorSamples.slice(0, 10).map((e) => `- ${e}`));
  return `${lines.join('\n')}\n`;
}

function latencyTable(scenarios: ProposeScenario[]): string[] {
  return [
    '| diagram | editors | proposals | applied | rejected | errors | p50 ms | p95 ms | p99 ms | applied/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...scenarios.map(
      (s) =>
        `| ${diagram(s)} | ${s.editors} | ${s.proposals} | ${s.applied} | ${rejectedCell(s.rejected)} | ${s.errors} | ${ms(s.latency.p50Ms)} | ${ms(s.latency.p95Ms)} | ${ms(s.latency.p99Ms)} | ${s.throughput.toFixed(0)} |`,
    ),
  ];
}

function diagram(s: ProposeScenario): string {
  return `${s.size} (${s.fixture}, ${(s.xmlBytes / 1024).toFixed(0)} KB)`;
}

function rejectedCell(rejected: Record<string, number>): string {
  const entries = Object.entries(rejected);
  if (entries.length === 0) return '0';
  return entries.map(([code, n]) => `${n} ${code}`).join(', ');
}

/** The write path's components first, then the read side's; anything else (and the rest of the machine) as "rest". */
const CPU_COLUMNS = [
  'commandService',
  'validator',
  'envoy',
  'postgres',
  'kafka',
  'projectors',
  'snapshotter',
  'neo4j',
  'bench',
] as const;

/** CPU ms per applied proposal by component, and how busy the machine's cores were. */
function cpuTable(scenarios: ProposeScenario[]): string[] {
  const measured = scenarios.filter((s) => s.cpu && s.applied > 0);
  if (measured.length === 0) return [];
  const lines = [
    '',
    '**CPU per applied proposal by component** (ms of CPU time, from /proc over each run; a component counts its child processes, e.g. Postgres backends; `bench` is this load generator, "rest" the other components and the rest of the machine; busy: the share of all cores in use):',
    '',
    `| mode | diagram | editors | ${CPU_COLUMNS.join(' | ')} | rest | total | busy |`,
    `| --- | --- | ---: | ${CPU_COLUMNS.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`,
  ];
  for (const s of measured) {
    const cpu = s.cpu!;
    const per = (seconds: number) => ms((seconds * 1000) / s.applied);
    const named = CPU_COLUMNS.map((c) => cpu.components.find((x) => x.component === c)?.seconds ?? 0);
    const rest = cpu.machineBusySeconds - named.reduce((sum, v) => sum + v, 0);
    const busy = (100 * cpu.machineBusySeconds) / (cpu.wallSeconds * cpu.cores);
    lines.push(
      `| ${s.mode} | ${diagram(s)} | ${s.editors} | ${named.map(per).join(' | ')} | ${per(Math.max(0, rest))} | ${per(cpu.machineBusySeconds)} | ${busy.toFixed(0)} % |`,
    );
  }
  return lines;
}

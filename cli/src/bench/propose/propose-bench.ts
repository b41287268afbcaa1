import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from '@flowledger/config';
import { currentSigningKey, loadOrCreateSigningKeys, mintDevToken } from '@flowledger/oidc';
import { summarizeLatencies, type LatencySummary } from '../latency-stats.js';
import { machineInfo, type MachineInfo } from '../machine-info.js';
import { scrapeStepTotals, stepMeansBetween, type StepMean } from '../step-metrics.js';
import { findEditAnchor } from './edit-anchor.js';
import { runEditors, type BenchDiagram, type Editor, type RunOutcome, type StopRule } from './editing-run.js';
import { ModelingEdgeClient } from './modeling-edge-client.js';
import { watchProjectionLag, type GroupLag } from './projection-lag.js';
import { CHANGE_CYCLE } from './small-changes.js';
import { startCpuWindow, type CpuWindow } from '../stack-cpu.js';

/** The diagrams sizes are measured on: MIWG reference files imported by CreateDiagram. */
export const DIAGRAM_SIZES: Record<string, string> = { '10kb': 'C.9.1.bpmn', '100kb': 'C.4.0.bpmn' };

/** own: each editor edits its own diagram (the headline); shared: all editors on one diagram. */
export type EditingMode = 'own' | 'shared';

export interface ProposeBenchSettings {
  editors: number[];
  sizes: string[];
  modes: EditingMode[];
  stop: StopRule;
  /** Pause of each editor after each answer, ms (0: back to back). */
  thinkMs: number;
  /** The command service's Prometheus endpoint (per-step means). */
  metricsUrl: string;
  /** The projectors' and snapshotter's Prometheus endpoints (consumer lag under this load). */
  lagUrls: string[];
  root: string;
  varDir: string;
  config: StackConfig;
  progress: (line: string) => void;
}

export interface ProposeScenario {
  mode: EditingMode;
  size: string;
  fixture: string;
  xmlBytes: number;
  editors: number;
  /** Answered proposals (applied + rejected). */
  proposals: number;
  applied: number;
  rejected: Record<string, number>;
  errors: number;
  /** Every answered proposal, as the client saw it through the edge. */
  latency: LatencySummary;
  appliedLatency: LatencySummary;
  /** Applied proposals per second. */
  throughput: number;
  wallSeconds: number;
  /** Mean per step from the service's histogram; includes anyone else's proposals in the same window. */
  steps: StepMean[];
  /** Proposals the service ran through `apply` in the window that were not this run's (other clients). */
  foreignProposals: number;
  stepsError?: string;
  /** Per projector consumer group: the largest and the last lag seen during the run. */
  projectionLag: GroupLag[];
  projectionLagError?: string;
  /** Where the run's CPU went, per stack component (Linux only); `bench` is this load generator. */
  cpu?: CpuWindow;
}

export interface ProposeBenchResult {
  machine: MachineInfo;
  startedAt: string;
  endpoint: string;
  stop: StopRule;
  thinkMs: number;
  changeCycle: readonly string[];
  scenarios: ProposeScenario[];
  errorSamples: string[];
}

/**
 * Accept latency of small changes through the edge (Envoy → command service, full validation):
 * for each diagram size, diagrams are imported once (one per editor, plus one shared), warmed up,
 * then edited by 1..N concurrent editors. A fresh tenant per run keeps it apart from other data.
 */
export async function runProposeBench(s: ProposeBenchSettings): Promise<ProposeBenchResult> {
  const runId = Date.now().toString(36);
  const tenant = `bench${runId}`;
  const maxEditors = Math.max(...s.editors);
  const key = currentSigningKey(await loadOrCreateSigningKeys(s.varDir));
  const endpoint = `${s.config.host}:${s.config.edge.port}`;
  const clients = await Promise.all(
    Array.from({ length: maxEditors }, async (_, i) => {
      const token = await mintDevToken(
        { tenant, actor: `editor${i}`, roles: ['editor'], ttlSeconds: 86_400, issuer: s.config.oidc.issuer },
        key,
        new Date(),
      );
      return new ModelingEdgeClient(endpoint, token);
    }),
  );
  const result: ProposeBenchResult = {
    machine: machineInfo(),
    startedAt: new Date().toISOString(),
    endpoint,
    stop: s.stop,
    thinkMs: s.thinkMs,
    changeCycle: CHANGE_CYCLE,
    scenarios: [],
    errorSamples: [],
  };
  try {
    for (const size of s.sizes) {
      const fixture = DIAGRAM_SIZES[size]!;
      const xml = readFileSync(join(s.root, 'tests/fixtures/miwg-reference', fixture), 'utf8');
      const anchor = await findEditAnchor(xml);
      s.progress(`${size}: importing ${maxEditors + 1} copies of ${fixture} (${Math.round(xml.length / 1024)} KB)`);
      const create = async (i: number): Promise<BenchDiagram> => {
        const created = await retryingTransient(() =>
          clients[i % maxEditors]!.createDiagram(`bench ${fixture} ${i}`, xml, `${tenant}-create-${size}-${i}`),
        );
        return { diagramId: created.diagramId, version: created.version, anchor, editors: new Map() };
      };
      const own = await inBatches(maxEditors, 4, create);
      const shared = await create(maxEditors);

      s.progress(`${size}: warm-up (one change cycle per diagram)`);
      const ownEditors = (n: number): Editor[] =>
        own.slice(0, n).map((diagram, i) => ({ index: i, client: clients[i]!, diagram }));
      const sharedEditors = (n: number): Editor[] =>
        clients.slice(0, n).map((client, i) => ({ index: i, client, diagram: shared }));
      const warmUp = await runEditors(
        ownEditors(maxEditors),
        { proposals: maxEditors * CHANGE_CYCLE.length },
        `${tenant}-warm-${size}`,
      );
      await runEditors(sharedEditors(1), { proposals: CHANGE_CYCLE.length }, `${tenant}-warm-shared-${size}`);
      if (warmUp.errors > 0) result.errorSamples.push(...warmUp.errorSamples.map((e) => `warm-up: ${e}`));

      for (const mode of s.modes) {
        for (const n of s.editors) {
          if (mode === 'shared' && n === 1) continue; // one editor alone is the own-diagram case
          s.progress(`${size}: ${n} editor(s), ${mode === 'own' ? 'each on its own diagram' : 'all on one diagram'}`);
          const before = await scrapeStepTotals(s.metricsUrl);
          const lag = watchProjectionLag(s.lagUrls);
          const endCpuWindow = startCpuWindow(s.varDir);
          const outcome = await runEditors(
            mode === 'own' ? ownEditors(n) : sharedEditors(n),
            s.stop,
            `${tenant}-${size}-${mode}-${n}`,
            s.thinkMs,
          );
          const cpu = endCpuWindow();
          const after = await scrapeStepTotals(s.metricsUrl);
          const lagSeen = await lag.stop();
          result.scenarios.push({
            ...scenario(mode, size, fixture, Buffer.byteLength(xml), n, outcome, before, after),
            projectionLag: lagSeen.groups,
            ...(lagSeen.error ? { projectionLagError: lagSeen.error } : {}),
            ...(cpu ? { cpu } : {}),
          });
          result.errorSamples.push(...outcome.errorSamples.map((e) => `${size} ${mode} ${n}: ${e}`));
        }
      }
    }
  } finally {
    for (const client of clients) client.close();
  }
  return result;
}

function scenario(
  mode: EditingMode,
  size: string,
  fixture: string,
  xmlBytes: number,
  editors: number,
  outcome: RunOutcome,
  before: Awaited<ReturnType<typeof scrapeStepTotals>>,
  after: Awaited<ReturnType<typeof scrapeStepTotals>>,
): ProposeScenario {
  const figures: ProposeScenario = {
    mode,
    size,
    fixture,
    xmlBytes,
    editors,
    proposals: outcome.latenciesMs.length,
    applied: outcome.applied,
    rejected: outcome.rejected,
    errors: outcome.errors,
    latency: summarizeLatencies(outcome.latenciesMs),
    appliedLatency: summarizeLatencies(outcome.appliedLatenciesMs),
    throughput: outcome.applied / (outcome.wallMs / 1000),
    wallSeconds: outcome.wallMs / 1000,
    steps: [],
    foreignProposals: 0,
    projectionLag: [],
  };
  if ('error' in before || 'error' in after) {
    figures.stepsError = 'error' in before ? before.error : (after as { error: string }).error;
    return figures;
  }
  figures.steps = stepMeansBetween(before.totals, after.totals);
  // Version mismatches are refused before `apply`; everything else of ours went through it.
  const oursThroughApply = outcome.latenciesMs.length - (outcome.rejected.VERSION_MISMATCH ?? 0);
  const applyCount = figures.steps.find((m) => m.step === 'apply')?.count ?? 0;
  figures.foreignProposals = Math.max(0, applyCount - oursThroughApply);
  return figures;
}

async function inBatches<T>(count: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const made: T[] = [];
  for (let start = 0; start < count; start += width) {
    const batch = Array.from({ length: Math.min(width, count - start) }, (_, k) => make(start + k));
    made.push(...(await Promise.all(batch)));
  }
  return made;
}

/** Setup survives a broker restart (other test runs share the stack): same transaction id, again. */
async function retryingTransient<T>(call: () => Promise<T>, attempts = 30): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if ((error as { code?: number }).code !== 14 || attempt >= attempts) throw error; // 14 = UNAVAILABLE
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

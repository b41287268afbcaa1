import { performance } from 'node:perf_hooks';
import type { ModelingEdgeClient } from './modeling-edge-client.js';
import { smallChange, type EditAnchor, type EditorMemory } from './small-changes.js';

/** A diagram the benchmark edits, with what the editors know of it between runs. */
export interface BenchDiagram {
  diagramId: string;
  version: number;
  anchor: EditAnchor;
  /** Per editor index: its place in the change cycle and what it created. */
  editors: Map<number, { step: number; memory: EditorMemory }>;
}

export interface Editor {
  index: number;
  client: ModelingEdgeClient;
  diagram: BenchDiagram;
}

/** When a run stops: after a deadline, or after a total number of proposals over all editors. */
export type StopRule = { durationMs: number } | { proposals: number };

export interface RunOutcome {
  /** Client-side latency of every answered proposal (applied or rejected), ms. */
  latenciesMs: number[];
  appliedLatenciesMs: number[];
  applied: number;
  rejected: Record<string, number>;
  /** Transport failures (gRPC errors, deadlines): no answer at all. */
  errors: number;
  errorSamples: string[];
  wallMs: number;
}

/**
 * Every editor proposes small changes one after another, each on the version it last saw,
 * all editors at once. A rejection (VERSION_MISMATCH when editors share a diagram) moves the
 * editor to the current version; its next proposal is the same change again. With `thinkMs`,
 * each editor pauses after each answer for a random time with that mean (exponential, seeded
 * per editor) and starts at a random moment within the first `thinkMs`: independent people,
 * whose proposals arrive as a Poisson stream rather than in lockstep bursts.
 */
export async function runEditors(
  editors: Editor[],
  stop: StopRule,
  transactionPrefix: string,
  thinkMs = 0,
): Promise<RunOutcome> {
  const outcome: RunOutcome = {
    latenciesMs: [],
    appliedLatenciesMs: [],
    applied: 0,
    rejected: {},
    errors: 0,
    errorSamples: [],
    wallMs: 0,
  };
  const started = performance.now();
  let remaining = 'proposals' in stop ? stop.proposals : Number.POSITIVE_INFINITY;
  const deadline = 'durationMs' in stop ? started + stop.durationMs : Number.POSITIVE_INFINITY;
  const mayPropose = (): boolean => {
    if (performance.now() >= deadline || remaining <= 0) return false;
    remaining -= 1;
    return true;
  };
  let sequence = 0;

  await Promise.all(
    editors.map(async ({ index, client, diagram }) => {
      const random = seededRandom(index + 1);
      if (thinkMs > 0) await sleep(random() * thinkMs);
      const state = diagram.editors.get(index) ?? { step: 0, memory: {} };
      diagram.editors.set(index, state);
      let known = diagram.version;
      // After a transport error the same change goes again under the same transaction id, as
      // the service asks: it may have been applied, and then the answer is its first result.
      let retryTransaction: string | undefined;
      while (mayPropose()) {
        const change = smallChange(diagram.anchor, index, state.step, state.memory);
        const transactionId = retryTransaction ?? `${transactionPrefix}-${sequence++}`;
        retryTransaction = undefined;
        const sent = performance.now();
        try {
          const answer = await client.propose(diagram.diagramId, known, change.operations, transactionId);
          const latency = performance.now() - sent;
          outcome.latenciesMs.push(latency);
          if (answer.result === 'applied') {
            outcome.applied += 1;
            outcome.appliedLatenciesMs.push(latency);
            known = answer.version;
            diagram.version = Math.max(diagram.version, answer.version);
            if (change.kind === 'create-task-and-flow') state.memory.createdTaskId = answer.idMap[`benchTask${index}`];
            if (change.kind === 'delete-task') state.memory.createdTaskId = undefined;
            state.step += 1;
          } else {
            outcome.rejected[answer.code] = (outcome.rejected[answer.code] ?? 0) + 1;
            if (answer.code !== 'VERSION_MISMATCH') {
              // Not a race: the change itself was refused; move on rather than repeat it forever.
              if (outcome.errorSamples.length < 5) outcome.errorSamples.push(`${answer.code}: ${answer.message}`);
              state.step += 1;
            }
            known = answer.currentVersion;
            diagram.version = Math.max(diagram.version, answer.currentVersion);
          }
        } catch (error) {
          outcome.errors += 1;
          if (outcome.errorSamples.length < 5) outcome.errorSamples.push((error as Error).message);
          retryTransaction = transactionId;
          await sleep(100);
        }
        if (thinkMs > 0) await sleep(-Math.log(1 - random()) * thinkMs);
      }
    }),
  );
  outcome.wallMs = performance.now() - started;
  return outcome;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small deterministic generator (mulberry32): the same pauses in every run of the benchmark. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

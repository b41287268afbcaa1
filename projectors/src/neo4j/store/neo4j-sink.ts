import neo4j, { type Driver } from 'neo4j-driver';
import { crashPoint } from '@flowledger/crash-points';
import type { ProjectedChange, ProjectionSink } from '@flowledger/projection';
import { diagramGraph, type DiagramGraph } from '../graph/diagram-graph.js';
import { diffGraphs } from '../graph/graph-diff.js';
import {
  activateStatement,
  graphLabels,
  lockVersionStatement,
  SERVING_NAME,
  VERSION_LABEL,
  type GraphLabels,
} from './graph-labels.js';
import { beginNeo4jBuild } from './neo4j-build.js';
import {
  lockDiagramsStatement,
  resetStatements,
  writeStatements,
  type DiagramKey,
  type DiagramWrite,
} from './graph-writes.js';

export interface Neo4jSinkOptions {
  driver: Driver;
  /**
   * The projection version's labels. A live sink writes the version's current generation (its
   * record, locked by every write, says which); a `fixed` one always these labels (a build).
   */
  labels: GraphLabels;
  fixed?: boolean;
  /** Diagrams whose last written graph is kept to diff against (least recently used go first). */
  cachedDiagrams?: number;
  /** Which serving record `activate` moves and which version record writes lock (tests use their own). */
  servingName?: string;
  /** A rebuild's freeze: how long it waits for the version record's lock (default 60 s). */
  freezeWaitMs?: number;
  /** A full rebuild: how long the old generation stays after the switch (default 3 s). */
  dropDelayMs?: number;
}

/** What a write did to each diagram: wrote a diff, replaced its subgraph, or skipped it (already applied). */
export type ApplyOutcome = 'diff' | 'replaced' | 'skipped';

export interface Neo4jSink extends ProjectionSink {
  applyBatch(changes: ProjectedChange[]): Promise<void>;
  activate(): Promise<void>;
  beginBuild(tenants?: string[]): Promise<import('@flowledger/projection').ProjectionBuild>;
  /** `applyBatch`, telling per diagram (`tenant/diagram`) what it did (tests and the bench look at it). */
  write(changes: ProjectedChange[]): Promise<Map<string, ApplyOutcome>>;
}

/**
 * The graph read model's writer. A write is one transaction that locks the diagram nodes,
 * writes the graph change and moves their applied versions, so the two never disagree. The
 * change is the diff between the graph this process last wrote for the diagram (kept in
 * memory, valid only when its version is the stored one) and the graph of the diagram after
 * the change; without such a base it replaces the diagram's subgraph. Changes at or below the
 * stored version are skipped, so re-delivered and re-ordered events are harmless even without
 * the runner's check, and two writers of one diagram serialize on its node.
 */
export function createNeo4jSink(options: Neo4jSinkOptions): Neo4jSink {
  const { driver, cachedDiagrams = 5000, servingName, fixed = false } = options;
  const version = options.labels.projectionVersion;
  // The generation last seen; a write under a stale one is rolled back and planned again.
  let labels = options.labels;
  const written = new Map<string, { version: number; graph: DiagramGraph }>();

  const remember = (key: string, version: number, graph: DiagramGraph) => {
    written.delete(key);
    written.set(key, { version, graph });
    if (written.size > cachedDiagrams) written.delete(written.keys().next().value!);
  };

  const write = async (changes: ProjectedChange[]): Promise<Map<string, ApplyOutcome>> => {
    // Graphs are taken before any await: the runner goes on mutating its diagrams afterwards.
    const last = new Map<string, ProjectedChange>();
    for (const change of changes) {
      const key = keyOf(change.event.tenantId, change.event.diagramId);
      if ((last.get(key)?.event.version ?? 0) < change.event.version) last.set(key, change);
    }
    const latest = new Map<string, Target>();
    for (const [key, { event, diagram }] of last) {
      latest.set(key, {
        tenantId: event.tenantId,
        diagramId: event.diagramId,
        version: event.version,
        graph: diagramGraph(diagram),
      });
    }
    if (latest.size === 0) return new Map();

    // Optimistic: plan from what this process last wrote and send the lock and the writes in one
    // round trip; the locked versions then prove the plan right, or the transaction is rolled
    // back and planned again from the versions seen (another writer, a reset, a cold cache).
    let guessed = new Map([...latest.keys()].map((key) => [key, written.get(key)?.version]));
    for (let attempt = 1; ; attempt++) {
      const plan = planWrites(latest, guessed, written);
      const session = driver.session();
      try {
        const planned = labels;
        await session.executeWrite(async (tx) => {
          const generation = fixed ? undefined : lockVersionStatement(version, servingName);
          const lock = lockDiagramsStatement(planned, [...latest.values()]);
          const [current, locked] = await Promise.all([
            generation && tx.run(generation.text, generation.params),
            tx.run(lock.text, lock.params),
            ...writeStatements(planned, plan.writes).map((s) => tx.run(s.text, s.params)),
          ]);
          const now = toNumber(current?.records[0]?.get('generation')) || planned.generation;
          if (now !== planned.generation) throw new StaleGeneration(now);
          const seen = new Map<string, number | undefined>();
          for (const r of locked.records)
            seen.set(keyOf(r.get('tenantId'), r.get('diagramId')), toNumber(r.get('applied')));
          if ([...seen].some(([key, applied]) => !plan.holdsFor(key, applied!))) throw new StalePlan(seen);
          crashPoint('neo4j-projection:before-commit');
        });
        for (const w of plan.writes) {
          const key = keyOf(w.tenantId, w.diagramId);
          remember(key, w.version, latest.get(key)!.graph);
        }
        for (const [key, outcome] of plan.outcomes) if (outcome === 'skipped') written.delete(key);
        return plan.outcomes;
      } catch (error) {
        if (error instanceof StaleGeneration && attempt < 5) {
          // A rebuild switched to new labels: what this process wrote before is no base for a diff.
          labels = graphLabels(version, error.generation);
          written.clear();
          guessed = new Map();
          continue;
        }
        if (error instanceof StalePlan && attempt < 5) {
          guessed = error.seen;
          continue;
        }
        for (const key of latest.keys()) written.delete(key);
        throw error;
      } finally {
        await session.close();
      }
    }
  };

  return {
    write,
    async apply(change) {
      await write([change]);
    },
    async applyBatch(changes) {
      await write(changes);
    },

    /**
     * From memory when this process wrote the diagram last: the runner asks before every event.
     * A stale answer is harmless — writes check the stored version themselves — as long as the
     * graph is only reset through this sink (which forgets) or rebuilt afterwards.
     */
    async appliedVersion(tenantId, diagramId) {
      const known = written.get(keyOf(tenantId, diagramId));
      if (known) return known.version;
      if (!fixed) labels = await currentLabels(driver, version, servingName);
      const { records } = await driver.executeQuery(
        `MATCH (d:${labels.diagram} {tenant_id: $tenantId, diagram_id: $diagramId}) RETURN d.applied_version AS v`,
        { tenantId, diagramId },
        { routing: neo4j.routing.READ },
      );
      return records.length === 0 ? 0 : toNumber(records[0]!.get('v'));
    },

    async activate() {
      const { text, params } = activateStatement(labels, servingName);
      await driver.executeQuery(text, params);
    },

    beginBuild: (tenants) =>
      beginNeo4jBuild({
        driver,
        version,
        servingName,
        tenants,
        freezeWaitMs: options.freezeWaitMs,
        dropDelayMs: options.dropDelayMs,
        sinkFor: (buildLabels) => createNeo4jSink({ driver, labels: buildLabels, fixed: true }),
      }),

    async reset(tenantId) {
      for (const key of [...written.keys()]) {
        if (tenantId === undefined || key.startsWith(`${tenantId}/`)) written.delete(key);
      }
      if (!fixed) labels = await currentLabels(driver, version, servingName);
      const session = driver.session();
      try {
        for (const s of resetStatements(labels, tenantId)) await session.run(s.text, s.params);
      } finally {
        await session.close();
      }
    },
  };
}

type Target = DiagramKey & { version: number; graph: DiagramGraph };

/** Rolls a write back: a rebuild moved the version to another generation's labels. */
class StaleGeneration extends Error {
  constructor(readonly generation: number) {
    super(`neo4j sink: the projection version is now at generation ${generation}; planning again`);
  }
}

/** The labels of the version's current generation (its record; generation 1 before any). */
export async function currentLabels(driver: Driver, version: number, servingName?: string): Promise<GraphLabels> {
  const { records } = await driver.executeQuery(
    `MATCH (g:${VERSION_LABEL} {name: $name, version: toInteger($version)}) RETURN g.generation AS generation`,
    { name: servingName ?? SERVING_NAME, version },
    { routing: neo4j.routing.READ },
  );
  return graphLabels(version, toNumber(records[0]?.get('generation')) || 1);
}

/** Rolls a write back: the stored versions were not the ones it was planned for. */
class StalePlan extends Error {
  constructor(readonly seen: Map<string, number | undefined>) {
    super('neo4j sink: stored versions moved; planning again');
  }
}

/**
 * Per diagram, given its stored applied version (or a guess; undefined = unknown): skip it when
 * stored ≥ target, diff against the graph written last when that is the stored version, else
 * replace its subgraph. `holdsFor` tells whether the plan is right for the version actually stored.
 */
function planWrites(
  targets: Map<string, Target>,
  applied: Map<string, number | undefined>,
  written: Map<string, { version: number; graph: DiagramGraph }>,
) {
  const writes: DiagramWrite[] = [];
  const outcomes = new Map<string, ApplyOutcome>();
  const baseVersions = new Map<string, number>();
  for (const [key, target] of targets) {
    const stored = applied.get(key);
    const common = { tenantId: target.tenantId, diagramId: target.diagramId, version: target.version };
    const base = written.get(key);
    if (stored !== undefined && stored >= target.version) outcomes.set(key, 'skipped');
    else if (stored !== undefined && base?.version === stored) {
      writes.push({ ...common, kind: 'diff', diff: diffGraphs(base.graph, target.graph) });
      outcomes.set(key, 'diff');
      baseVersions.set(key, stored);
    } else {
      writes.push({ ...common, kind: 'replace', graph: target.graph });
      outcomes.set(key, 'replaced');
    }
  }
  const holdsFor = (key: string, stored: number): boolean => {
    const target = targets.get(key)!;
    switch (outcomes.get(key)) {
      case 'skipped':
        return stored >= target.version;
      case 'diff':
        return stored === baseVersions.get(key);
      default:
        return stored < target.version;
    }
  };
  return { writes, outcomes, holdsFor };
}

/** Tenant ids are topic-name safe (no `/`), so this key is unambiguous. */
function keyOf(tenantId: string, diagramId: string): string {
  return `${tenantId}/${diagramId}`;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  return 0;
}

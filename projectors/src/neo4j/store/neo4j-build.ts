import type { Driver, Session, Transaction } from 'neo4j-driver';
import { DEFAULT_FREEZE_WAIT_MS, type ProjectionBuild, type ProjectionSink } from '@flowledger/projection';
import { graphLabels, lockVersionStatement, SERVING_NAME, VERSION_LABEL, type GraphLabels } from './graph-labels.js';
import { beginLocked } from './freeze-lock.js';
import { dropGraphSchema, ensureGraphSchema } from './graph-schema.js';
import { resetStatements } from './graph-writes.js';
import type { ReconcileOutcome } from './reconcile-plan.js';
import type { StoredGraphContent } from './graph-content.js';
import { readTenantAhead } from './stored-ahead.js';
import { createGraphCollector, DEFAULT_RECONCILE_STEP_NODES, reconcileTenant } from './tenant-reconcile.js';

export interface Neo4jBuildOptions {
  driver: Driver;
  version: number;
  servingName?: string;
  /** Undefined: a new generation of the whole version; else those tenants' nodes only. */
  tenants?: string[];
  /** A sink writing under the given labels only: a full rebuild's new generation (a tenant build keeps its graphs in memory). */
  sinkFor(labels: GraphLabels): ProjectionSink;
  /** Some tenants: nodes reconciled per transaction at the switch (default `DEFAULT_RECONCILE_STEP_NODES`). */
  switchStepNodes?: number;
  /** Some tenants: told what the switch did to each diagram of each tenant (tests and logs look). */
  onReconciled?(tenantId: string, outcomes: Map<string, ReconcileOutcome>): void;
  /** How long the old generation stays after the switch, for questions that began before it (default 3 s). */
  dropDelayMs?: number;
  /** How long `freeze` waits for the version record's lock before it fails (default `DEFAULT_FREEZE_WAIT_MS`). */
  freezeWaitMs?: number;
}

/**
 * A rebuild target of a projection version that never blanks the serving graph (item 5).
 * Everything: a new generation beside the serving one (`Bpmn_vN_gG`, own constraints); the switch
 * sets the version record's `generation`, which every question reads first, then the old
 * generation is dropped. Some tenants: the rebuilt graphs stay in memory and the switch
 * reconciles each diagram's serving subgraph with its rebuilt graph in place, writing only what
 * differs (`reconcileTenant`) — a healthy tenant costs reads, not a second copy of its graph,
 * and those reads are made while the streams are read (`readTenantAhead`, awaited by `settle`).
 * `freeze` holds the version record's lock in an open transaction: every live write takes that
 * lock first, so it waits, and afterwards it sees the new generation or the reconciled diagrams.
 * It waits for the lock a bounded time (`beginLocked`), failing with the transactions that hold it.
 * Tenants the rebuild could not rebuild (`unchanged`) keep their serving graphs: a tenant build
 * does not reconcile them; a new generation drops what it built of them and takes their serving
 * nodes over (relabelled in the switch's transaction, so the old generation's drop spares them).
 */
export async function beginNeo4jBuild(o: Neo4jBuildOptions): Promise<ProjectionBuild> {
  const { driver, version, tenants } = o;
  const name = o.servingName ?? SERVING_NAME;
  const lock = lockVersionStatement(version, name);
  const waitMs = o.freezeWaitMs ?? DEFAULT_FREEZE_WAIT_MS;
  const what = `the lock on projection version ${version}'s record (${VERSION_LABEL} "${name}")`;
  const generation = await lockedGeneration(driver, lock, { waitMs, what });
  const collector = tenants ? createGraphCollector() : undefined;
  const target = graphLabels(version, generation + 1);
  // A tenant build reads what serves while the streams are read, not in the freeze: the switch
  // then reads again only the diagrams that moved since (`reconcileTenant`).
  const stepNodes = o.switchStepNodes ?? DEFAULT_RECONCILE_STEP_NODES;
  const ahead = (async () => {
    const read = new Map<string, Map<string, StoredGraphContent> | undefined>();
    for (const tenantId of (collector && tenants) || []) {
      const contents = readTenantAhead(driver, graphLabels(version, generation), tenantId, stepNodes);
      read.set(tenantId, await contents.catch(() => undefined)); // not read: read in the freeze instead
    }
    return read;
  })();
  if (!collector) {
    await dropNodes(driver, target); // what a rebuild that died left behind
    await ensureGraphSchema(driver, target);
  }

  let session: Session | undefined;
  let tx: Transaction | undefined;
  let state: 'building' | 'frozen' | 'done' = 'building';
  const close = async () => {
    await session?.close().catch(() => undefined);
    session = undefined;
    tx = undefined;
  };
  return {
    sink: collector?.sink ?? o.sinkFor(target),
    // Done reading what serves (a tenant build): after round 1, this read has had the time the streams took.
    async settle() {
      await ahead;
    },
    async freeze() {
      session = driver.session();
      state = 'frozen';
      ({ tx } = await beginLocked(driver, session, lock, { waitMs, what }));
    },
    async switchOver(unchanged = new Set<string>()) {
      if (state !== 'frozen' || !tx) throw new Error('neo4j build: switchOver before freeze');
      // Not serving yet: what the new generation holds of them goes outside the freeze's transaction.
      if (!collector) for (const tenantId of unchanged) await dropNodes(driver, target, tenantId);
      const current = Number((await tx.run(lock.text, lock.params)).records[0]!.get('generation'));
      const serving = graphLabels(version, current);
      if (collector) {
        // In steps, each its own transaction, while the freeze holds the live writer back.
        for (const tenantId of tenants!.filter((t) => !unchanged.has(t))) {
          const built = collector.builtOf(tenantId);
          // Read under another generation's labels (a full rebuild switched meanwhile): worthless.
          const read = current === generation ? (await ahead).get(tenantId) : undefined;
          const outcomes = await reconcileTenant(driver, serving, tenantId, built, stepNodes, read);
          o.onReconciled?.(tenantId, outcomes);
        }
      } else {
        for (const tenantId of unchanged) {
          for (const [from, to] of [
            [serving.element, target.element],
            [serving.diagram, target.diagram],
          ]) {
            await tx.run(`MATCH (n:${from} {tenant_id: $tenantId}) REMOVE n:${from} SET n:${to}`, { tenantId });
          }
        }
        await tx.run(
          `MATCH (g:${VERSION_LABEL} {name: $name, version: toInteger($version)}) SET g.generation = toInteger($generation)`,
          { name, version, generation: target.generation },
        );
      }
      await tx.commit();
      state = 'done';
      await close();
      if (collector) return;
      await new Promise((r) => setTimeout(r, o.dropDelayMs ?? 3_000));
      await dropNodes(driver, serving);
      await dropGraphSchema(driver, serving);
    },
    async abort() {
      if (state === 'done') return;
      state = 'done';
      await tx?.rollback().catch(() => undefined);
      await close();
      if (collector) return;
      await dropNodes(driver, target);
      await dropGraphSchema(driver, target);
    },
  };
}

/** The version record's generation, read under its lock (created at 1 if missing), waited for at most `waitMs`. */
async function lockedGeneration(
  driver: Driver,
  lock: { text: string; params: Record<string, unknown> },
  o: { waitMs: number; what: string },
): Promise<number> {
  const session = driver.session();
  try {
    const { tx, records } = await beginLocked(driver, session, lock, o);
    await tx.commit();
    return Number(records[0]!.get('generation'));
  } finally {
    await session.close();
  }
}

/** Deletes every node under `labels` (of one tenant, or all), in batches (auto-commit statements). */
async function dropNodes(driver: Driver, labels: GraphLabels, tenantId?: string): Promise<void> {
  const session = driver.session();
  try {
    for (const s of resetStatements(labels, tenantId)) await session.run(s.text, s.params);
  } finally {
    await session.close();
  }
}

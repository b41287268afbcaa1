import type { Driver, Session, Transaction } from 'neo4j-driver';
import type { ProjectionBuild, ProjectionSink } from '@flowledger/projection';
import {
  graphLabels,
  lockVersionStatement,
  SERVING_NAME,
  tenantBuildLabels,
  VERSION_LABEL,
  type GraphLabels,
} from './graph-labels.js';
import { dropGraphSchema, ensureGraphSchema } from './graph-schema.js';
import { resetStatements } from './graph-writes.js';
import { switchTenantInSteps } from './tenant-switch.js';

export interface Neo4jBuildOptions {
  driver: Driver;
  version: number;
  servingName?: string;
  /** Undefined: a new generation of the whole version; else those tenants' nodes only. */
  tenants?: string[];
  /** A sink writing under the given labels only. */
  sinkFor(labels: GraphLabels): ProjectionSink;
  /** Some tenants: nodes moved per transaction at the switch (default `DEFAULT_SWITCH_STEP_NODES`). */
  switchStepNodes?: number;
  /** How long the old generation stays after the switch, for questions that began before it (default 3 s). */
  dropDelayMs?: number;
}

/**
 * A rebuild target beside the serving graph of a projection version (item 5). Everything: the
 * next generation's labels (`Bpmn_vN_gG`, own constraints); the switch sets the version record's
 * `generation`, which every question reads first, then the old generation is dropped. Some
 * tenants: build labels (`Bpmn_vN_build`); the switch deletes their serving nodes and relabels the
 * built ones, diagram by diagram in transactions of bounded size (`switchTenantInSteps`).
 * `freeze` holds the version record's lock in an open transaction: every live write takes that
 * lock first, so it waits, and afterwards it sees the new generation and plans again.
 */
export async function beginNeo4jBuild(o: Neo4jBuildOptions): Promise<ProjectionBuild> {
  const { driver, version, tenants } = o;
  const name = o.servingName ?? SERVING_NAME;
  const lock = lockVersionStatement(version, name);
  const { records } = await driver.executeQuery(lock.text, lock.params);
  const generation = Number(records[0]!.get('generation'));
  const target = tenants ? tenantBuildLabels(version) : graphLabels(version, generation + 1);
  await dropNodes(driver, target); // what a rebuild that died left behind
  await ensureGraphSchema(driver, target);

  let session: Session | undefined;
  let tx: Transaction | undefined;
  let state: 'building' | 'frozen' | 'done' = 'building';
  const close = async () => {
    await session?.close().catch(() => undefined);
    session = undefined;
    tx = undefined;
  };
  return {
    sink: o.sinkFor(target),
    async freeze() {
      session = driver.session();
      tx = session.beginTransaction();
      state = 'frozen';
      await tx.run(lock.text, lock.params);
    },
    async switchOver() {
      if (state !== 'frozen' || !tx) throw new Error('neo4j build: switchOver before freeze');
      const current = Number((await tx.run(lock.text, lock.params)).records[0]!.get('generation'));
      const serving = graphLabels(version, current);
      if (tenants) {
        // In steps, each its own transaction, while the freeze holds the live writer back.
        for (const tenantId of tenants) await switchTenantInSteps(driver, serving, target, tenantId, o.switchStepNodes);
      } else {
        await tx.run(
          `MATCH (g:${VERSION_LABEL} {name: $name, version: toInteger($version)}) SET g.generation = toInteger($generation)`,
          { name, version, generation: target.generation },
        );
      }
      await tx.commit();
      state = 'done';
      await close();
      if (!tenants) await new Promise((r) => setTimeout(r, o.dropDelayMs ?? 3_000));
      const dropped = tenants ? target : serving;
      await dropNodes(driver, dropped);
      await dropGraphSchema(driver, dropped);
    },
    async abort() {
      if (state === 'done') return;
      state = 'done';
      await tx?.rollback().catch(() => undefined);
      await close();
      await dropNodes(driver, target);
      await dropGraphSchema(driver, target);
    },
  };
}

/** Deletes every node under `labels`, in batches (auto-commit statements). */
async function dropNodes(driver: Driver, labels: GraphLabels): Promise<void> {
  const session = driver.session();
  try {
    for (const s of resetStatements(labels)) await session.run(s.text, s.params);
  } finally {
    await session.close();
  }
}

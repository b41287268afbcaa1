import type { Driver } from 'neo4j-driver';
import type { ProjectedChange, ProjectionSink } from '@flowledger/projection';
import { diagramGraph } from '../graph/diagram-graph.js';
import { driverReader, emptyGraphContent, readGraphContents, type StoredGraphContent } from './graph-content.js';
import { isStillCurrent, readStoredStates } from './stored-ahead.js';
import type { GraphLabels } from './graph-labels.js';
import { lockDiagramsStatement, writeStatements, type CypherStatement, type DiagramWrite } from './graph-writes.js';
import { inSteps, planReconcile, type BuiltDiagram, type ReconcileOutcome } from './reconcile-plan.js';

/** Nodes (stored and rebuilt together) reconciled per transaction. */
export const DEFAULT_RECONCILE_STEP_NODES = 4_000;

/**
 * The build of a tenant rebuild: each diagram's last change, kept in memory until the switch
 * compares its graph with what serves. Nothing is written meanwhile, and the graphs are drawn only
 * then, once per diagram: by the switch a change's `diagram` is in the state after it (the rebuild
 * replays into the same object, and the change is that diagram's last).
 */
export function createGraphCollector() {
  const built = new Map<string, Map<string, ProjectedChange>>();
  const take = (changes: ProjectedChange[]) => {
    for (const change of changes) {
      const { tenantId, diagramId } = change.event;
      let ofTenant = built.get(tenantId);
      if (!ofTenant) built.set(tenantId, (ofTenant = new Map()));
      ofTenant.set(diagramId, change);
    }
  };
  const sink: ProjectionSink = {
    appliedVersion: async (tenantId, diagramId) => built.get(tenantId)?.get(diagramId)?.event.version ?? 0,
    apply: async (change) => take([change]),
    applyBatch: async (changes) => take(changes),
    reset: async () => {}, // a build starts empty
  };
  const builtOf = (tenantId: string) =>
    new Map<string, BuiltDiagram>(
      [...(built.get(tenantId) ?? [])].map(([diagramId, { event, diagram }]) => [
        diagramId,
        { diagramId, version: event.version, graph: diagramGraph(diagram) },
      ]),
    );
  return { sink, builtOf };
}

/**
 * Makes a tenant's serving graph the rebuilt one in place, diagram by diagram: each diagram's
 * stored subgraph is compared with its rebuilt graph and only what differs is written (a damaged
 * one is replaced, one the rebuild lacks deleted), a bounded number of nodes per transaction. A
 * healthy graph thus costs reads only, and every diagram switches atomically; what serves is never
 * blank. The caller holds the live writer back (the build's freeze) meanwhile, so nothing changes
 * the tenant's graph between a read and the write it leads to. Subgraphs read `ahead` (before the
 * freeze, while the streams were read) are used where the diagram still stands where it stood
 * (`isStillCurrent`); the others are read now, the next step's while this step's are compared and
 * written. A step with nothing to write opens no transaction.
 */
export async function reconcileTenant(
  driver: Driver,
  labels: GraphLabels,
  tenantId: string,
  built: Map<string, BuiltDiagram>,
  maxNodes = DEFAULT_RECONCILE_STEP_NODES,
  ahead?: Map<string, StoredGraphContent>,
): Promise<Map<string, ReconcileOutcome>> {
  const states = await readStoredStates(driver, labels, tenantId);
  const sizes = new Map<string, number>();
  for (const [id, b] of built) sizes.set(id, b.graph.nodes.size);
  for (const [id, state] of states) sizes.set(id, (sizes.get(id) ?? 0) + state.elements + 1);
  const steps = inSteps(
    [...sizes].sort(([a], [b]) => (a < b ? -1 : 1)),
    maxNodes,
  );
  const read = driverReader(driver);
  const readStep = (i: number) => {
    const ids = steps[i]!;
    // Read now: the diagrams stored now whose subgraph read ahead is missing or out of date.
    const stale = ids.filter((id) => states.has(id) && !isStillCurrent(ahead?.get(id), states.get(id)!));
    const contents = (
      stale.length > 0 ? readGraphContents(read, labels, tenantId, stale) : Promise.resolve(new Map())
    ).then(
      (fresh: Map<string, StoredGraphContent>) =>
        new Map(ids.map((id) => [id, fresh.get(id) ?? (states.has(id) ? ahead!.get(id)! : emptyGraphContent())])),
    );
    contents.catch(() => undefined); // awaited below; unhandled only if an earlier step fails
    return contents;
  };
  const outcomes = new Map<string, ReconcileOutcome>();
  let next = steps.length > 0 ? readStep(0) : undefined;
  for (let i = 0; i < steps.length; i++) {
    const contents = await next!;
    next = i + 1 < steps.length ? readStep(i + 1) : undefined;
    const plan = planStep(labels, tenantId, steps[i]!, built, contents);
    for (const [id, outcome] of plan.outcomes) outcomes.set(id, outcome);
    if (plan.statements.length === 0) continue;
    const session = driver.session();
    try {
      await session.executeWrite(async (tx) => {
        for (const s of plan.statements) await tx.run(s.text, s.params);
      });
    } finally {
      await session.close();
    }
  }
  return outcomes;
}

/** What one step writes: for each diagram, what differs between its rebuilt and its stored graph. */
function planStep(
  labels: GraphLabels,
  tenantId: string,
  diagramIds: string[],
  built: Map<string, BuiltDiagram>,
  stored: Map<string, StoredGraphContent>,
): { outcomes: Map<string, ReconcileOutcome>; statements: CypherStatement[] } {
  const outcomes = new Map<string, ReconcileOutcome>();
  const writes: DiagramWrite[] = [];
  const deleted: string[] = [];
  for (const id of diagramIds) {
    const step = planReconcile(tenantId, built.get(id), stored.get(id)!);
    outcomes.set(id, step.outcome);
    if (step.outcome === 'deleted') deleted.push(id);
    else if (step.outcome !== 'unchanged') writes.push(step.write);
  }
  const statements: CypherStatement[] = [];
  if (deleted.length > 0) statements.push(...deleteDiagramStatements(labels, tenantId, deleted));
  if (writes.length > 0) {
    statements.push(lockDiagramsStatement(labels, writes), ...writeStatements(labels, writes));
  }
  return { outcomes, statements };
}

function deleteDiagramStatements(labels: GraphLabels, tenantId: string, diagramIds: string[]): CypherStatement[] {
  return [labels.element, labels.diagram].map((label) => ({
    text: `UNWIND $diagramIds AS diagramId\nMATCH (n:${label} {tenant_id: $tenantId, diagram_id: diagramId})\nDETACH DELETE n`,
    params: { tenantId, diagramIds },
  }));
}

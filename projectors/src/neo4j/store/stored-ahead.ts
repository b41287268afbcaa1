import neo4j, { type Driver } from 'neo4j-driver';
import { driverReader, readGraphContents, type StoredGraphContent } from './graph-content.js';
import type { GraphLabels } from './graph-labels.js';
import type { CypherStatement } from './graph-writes.js';
import { inSteps } from './reconcile-plan.js';

/** Where a diagram's stored subgraph stands: its element nodes, and its diagram node's applied version (none: no diagram node). */
export interface StoredDiagramState {
  elements: number;
  appliedVersion: number | undefined;
}

/** The tenant's diagrams with stored nodes, and where each stands (one statement). */
export async function readStoredStates(
  driver: Driver,
  labels: GraphLabels,
  tenantId: string,
): Promise<Map<string, StoredDiagramState>> {
  const { text, params } = storedStatesStatement(labels, tenantId);
  const states = new Map<string, StoredDiagramState>();
  for (const r of (await driver.executeQuery(text, params)).records) {
    const version = r.get('version') as unknown;
    states.set(String(r.get('diagramId')), {
      elements: neo4j.integer.toNumber(r.get('elements') as number),
      appliedVersion: version === null ? undefined : neo4j.integer.toNumber(version as number),
    });
  }
  return states;
}

/**
 * A tenant's serving subgraphs, read ahead of a tenant build's switch while the rebuild reads the
 * streams, `maxNodes` nodes per read (one after another); the switch reads again only the
 * diagrams that moved since (`isStillCurrent`).
 */
export async function readTenantAhead(
  driver: Driver,
  labels: GraphLabels,
  tenantId: string,
  maxNodes: number,
): Promise<Map<string, StoredGraphContent>> {
  const states = await readStoredStates(driver, labels, tenantId);
  const read = driverReader(driver);
  const contents = new Map<string, StoredGraphContent>();
  for (const step of inSteps(
    [...states].map(([id, state]) => [id, state.elements + 1]),
    maxNodes,
  )) {
    for (const [id, content] of await readGraphContents(read, labels, tenantId, step)) {
      // The version read before the subgraph, not beside it: a live write landing in between then
      // shows as a version that moved by the switch, never as content filed under its new version.
      contents.set(id, { ...content, appliedVersion: states.get(id)!.appliedVersion ?? 0 });
    }
  }
  return contents;
}

/**
 * Whether a subgraph read ahead is still what is stored (pure): every live write moves its
 * diagram's applied version, and a reset removes its nodes, so a diagram whose version and
 * element count stand where they stood is unchanged. (A hand edit between the read and the
 * freeze that keeps both would go unseen: the rebuild's window, not a live write's.)
 */
export function isStillCurrent(ahead: StoredGraphContent | undefined, now: StoredDiagramState): boolean {
  // A diagram node is only ever committed at a version ≥ 1: 0 in a content means none.
  return ahead !== undefined && ahead.rows.nodes === now.elements && ahead.appliedVersion === (now.appliedVersion ?? 0);
}

function storedStatesStatement(labels: GraphLabels, tenantId: string): CypherStatement {
  return {
    text: `CALL () {
  MATCH (n:${labels.element} {tenant_id: $tenantId}) RETURN n.diagram_id AS diagramId, 1 AS element, null AS v
  UNION ALL
  MATCH (d:${labels.diagram} {tenant_id: $tenantId}) RETURN d.diagram_id AS diagramId, 0 AS element, d.applied_version AS v
}
RETURN diagramId, sum(element) AS elements, max(v) AS version`,
    params: { tenantId },
  };
}

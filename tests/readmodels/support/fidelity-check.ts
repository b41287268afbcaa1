import { expect } from 'vitest';
import { canonicalHash, parseDiagram, semanticSummary, serializeDiagram } from '@flowledger/bpmn-operations';
import { expectedGraph } from '../neo4j/support/stored-graph.js';
import type { LiveReadModels } from './live-read-models.js';
import type { SteadyClient } from './steady-client.js';
import type { XsdValidator } from './xsd-validator.js';

export interface FidelityContext {
  tenant: string;
  client: SteadyClient;
  live: LiveReadModels;
  validator: XsdValidator;
}

/**
 * Checks every live read model against the command side at one version. The expectations come
 * from GetDiagram's XML through bpmn-moddle and the operations library's `semanticSummary` —
 * never from the projectors' own row or graph builders. The tenant's snapshot policy must make
 * every version a snapshot version (K = 1), and nothing newer may be proposed to the diagram
 * meanwhile (other diagrams may change).
 */
export async function checkVersion(ctx: FidelityContext, diagramId: string, version: number): Promise<void> {
  const { tenant, client, live, validator } = ctx;
  const at = `${diagramId} v${version}`;
  const { xml, version: served } = await client.getDiagram(diagramId, version);
  expect(served, at).toBe(version);
  expect(await live.waitForAll(tenant, diagramId, version), at).toEqual({
    postgres: version,
    neo4j: version,
    snapshots: version,
  });
  const snapshot = await live.snapshotXml(tenant, diagramId, version);
  expect(snapshot, `${at}: snapshot`).toBeDefined();
  expect(await validator.validate(snapshot!), `${at}: snapshot XSD`).toMatchObject({ valid: true, errors: [] });
  expect(await canonical(snapshot!), `${at}: snapshot XML`).toBe(await canonical(xml));

  await checkRowsAndGraph(live, tenant, diagramId, version, xml);
}

/**
 * The live Postgres rows (every version's history row once) and Neo4j graph of a diagram
 * against the command side's XML at `version`, its newest.
 */
export async function checkRowsAndGraph(
  live: LiveReadModels,
  tenant: string,
  diagramId: string,
  version: number,
  xml: string,
): Promise<void> {
  const at = `${diagramId} v${version}`;
  const summary = semanticSummary(await parseDiagram(xml));
  const rows = await live.postgresDiagram(tenant, diagramId);
  expect(rows, `${at}: Postgres`).toEqual({
    appliedVersion: version,
    resultHash: canonicalHash(xml),
    elementCount: summary.elements.length,
    flowCount: summary.connections.length,
    elements: summary.elements,
    flows: summary.connections,
    versions: Array.from({ length: version }, (_, i) => i + 1),
  });

  expect(await live.graph(tenant, diagramId), `${at}: Neo4j`).toEqual(await expectedGraph(xml));
}

/** The model's canonical form: parsed and serialized again by bpmn-moddle. */
async function canonical(xml: string): Promise<string> {
  return serializeDiagram(await parseDiagram(xml));
}

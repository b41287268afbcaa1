import neo4j, { type Driver } from 'neo4j-driver';
import type { Diagram } from '@flowledger/bpmn-operations';
import type { Projection } from '@flowledger/projection';
import { createNeo4jGraphQueries } from './queries/neo4j-graph-queries.js';
import type { GraphQueries } from './queries/graph-queries.js';
import { queryApiGraph } from './queries/query-api-graph.js';
import type { GraphQueries as QueryApiGraph } from '../query/graph-queries.js';
import { diagramGraph } from './graph/diagram-graph.js';
import { diffGraphContent, readGraphContent } from './store/graph-content.js';
import { graphLabels, NEO4J_PROJECTION_VERSION } from './store/graph-labels.js';
import { ensureGraphSchema } from './store/graph-schema.js';
import { createNeo4jSink, currentLabels, type Neo4jSink } from './store/neo4j-sink.js';

export { NEO4J_PROJECTION_VERSION };

export interface Neo4jReadModelOptions {
  /** Bolt URL and credentials: `loadStackConfig().neo4j`. */
  url: string;
  username: string;
  password: string;
  /** Written by the projection (`FLOWLEDGER_NEO4J_PROJECTION_VERSION`); default NEO4J_PROJECTION_VERSION. */
  projectionVersion?: number;
  /**
   * Read by the graph queries; default: the version last activated (`sink.activate`, called by
   * the runner once a version has caught up), else the written one.
   */
  servingVersion?: number;
  /** The serving and version records read and written (default `neo4j`; tests use their own). */
  servingName?: string;
  /** A rebuild's freeze: how long it waits for the live writer's lock (`FLOWLEDGER_REBUILD_FREEZE_WAIT_MS`). */
  freezeWaitMs?: number;
  /** A full rebuild: how long the old generation stays after the switch (default 3 s; tests with no questions in flight shorten it). */
  dropDelayMs?: number;
}

export interface Neo4jReadModel {
  projection: Projection & { sink: Neo4jSink };
  queries: GraphQueries;
  /** The same queries in the Query API's shape (projectors/src/query/graph-queries.ts). */
  queryApi: QueryApiGraph;
  driver: Driver;
  /** `verify`'s check of one diagram: its stored subgraph against the graph of the replayed diagram at `version`. */
  verifyDiagram(tenantId: string, diagramId: string, diagram: Diagram, version: number): Promise<string[]>;
  close(): Promise<void>;
}

/** Connects, creates the schema of the written version (idempotent), and returns the projection and its queries. */
export async function openNeo4jReadModel(options: Neo4jReadModelOptions): Promise<Neo4jReadModel> {
  const driver = neo4j.driver(options.url, neo4j.auth.basic(options.username, options.password));
  try {
    const { servingName } = options;
    // The written version's current generation: a full rebuild may have moved it on.
    const labels = await currentLabels(driver, options.projectionVersion ?? NEO4J_PROJECTION_VERSION, servingName);
    await ensureGraphSchema(driver, labels);
    const queries = createNeo4jGraphQueries({
      driver,
      ...(options.servingVersion ? { labels: graphLabels(options.servingVersion) } : {}),
      fallbackVersion: labels.projectionVersion,
      servingName,
    });
    return {
      projection: neo4jProjection(
        createNeo4jSink({
          driver,
          labels,
          servingName,
          freezeWaitMs: options.freezeWaitMs,
          dropDelayMs: options.dropDelayMs,
        }),
        labels.projectionVersion,
      ),
      queries,
      queryApi: queryApiGraph(queries),
      driver,
      verifyDiagram: async (tenantId, diagramId, diagram, version) =>
        diffGraphContent(
          diagramGraph(diagram),
          version,
          await readGraphContent(
            driver,
            await currentLabels(driver, labels.projectionVersion, servingName),
            tenantId,
            diagramId,
          ),
        ),
      close: () => driver.close(),
    };
  } catch (error) {
    await driver.close();
    throw error;
  }
}

/**
 * Every event changes the graph (DIAGRAM_CREATED writes it, CHANGES_APPLIED diffs it); the
 * graph is built from the diagram alone, so the runner need not serialize XML for it.
 */
export function neo4jProjection(sink: Neo4jSink, version: number): Projection & { sink: Neo4jSink } {
  return { name: 'neo4j', version, canHandle: () => true, needsXml: () => false, sink };
}

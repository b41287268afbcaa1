export { openNeo4jReadModel, neo4jProjection, NEO4J_PROJECTION_VERSION } from './neo4j-projection.js';
export type { Neo4jReadModel, Neo4jReadModelOptions } from './neo4j-projection.js';
export { createNeo4jSink, currentLabels, type Neo4jSink, type ApplyOutcome } from './store/neo4j-sink.js';
export { graphLabels, type GraphLabels } from './store/graph-labels.js';
export { ensureGraphSchema, dropGraphSchema } from './store/graph-schema.js';
export { beginNeo4jBuild } from './store/neo4j-build.js';
export { reconcileTenant } from './store/tenant-reconcile.js';
export type { ReconcileOutcome } from './store/reconcile-plan.js';
export { createNeo4jGraphQueries } from './queries/neo4j-graph-queries.js';
export type * from './queries/graph-queries.js';
export { GraphQueryError } from './queries/graph-queries.js';
export { diagramGraph, type DiagramGraph } from './graph/diagram-graph.js';
export { queryApiGraph } from './queries/query-api-graph.js';
export { activateStatement, SERVING_LABEL } from './store/graph-labels.js';
export {
  readGraphContent,
  readGraphContents,
  diffGraphContent,
  type StoredGraphContent,
} from './store/graph-content.js';

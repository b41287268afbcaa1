/**
 * The graph questions of the Query API, answered from the Neo4j read model (projectors/src/neo4j).
 * Every method answers for `tenantId` only; a diagram the tenant does not have throws
 * `QueryError('NOT_FOUND')`.
 */
export interface GraphQueries {
  findUnreachable(tenantId: string, diagramId: string): Promise<GraphElement[]>;
  /** Up to `maxPaths` paths, each the element ids from `fromId` to `toId` (nodes and the sequence flows between). */
  findPaths(tenantId: string, diagramId: string, fromId: string, toId: string, maxPaths: number): Promise<string[][]>;
  findDanglingFlows(tenantId: string, diagramId: string): Promise<DanglingFlow[]>;
}

export interface GraphElement {
  elementId: string;
  type: string;
  name: string;
}

export interface DanglingFlow {
  flowId: string;
  type: string;
  sourceId: string;
  targetId: string;
  reason: string;
}

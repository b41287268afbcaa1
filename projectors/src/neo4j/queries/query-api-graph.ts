import type { GraphQueries as QueryApiGraph } from '../../query/graph-queries.js';
import { QueryError } from '../../query/query-error.js';
import { GraphQueryError, type GraphQueries } from './graph-queries.js';

/** FindPaths' `max_paths = 0` means the server's default. */
const DEFAULT_MAX_PATHS = 10;

/**
 * The Query API's view of the graph (projectors/src/query/graph-queries.ts) over the Neo4j
 * queries: a diagram the graph has not applied is NOT_FOUND (unknown to the tenant, or not
 * projected yet), paths interleave flow nodes and the sequence flows between them, and the
 * graph's argument errors become the API's.
 */
export function queryApiGraph(queries: GraphQueries): QueryApiGraph {
  return {
    findUnreachable: (tenantId, diagramId) =>
      answer(tenantId, diagramId, async () => {
        const { appliedVersion, elements } = await queries.findUnreachable({ tenantId, diagramId });
        requireProjected(appliedVersion, diagramId);
        return elements.map((e) => ({ elementId: e.elementId, type: e.type, name: e.name ?? '' }));
      }),

    findPaths: (tenantId, diagramId, fromId, toId, maxPaths) =>
      answer(tenantId, diagramId, async () => {
        const result = await queries.findPaths(
          { tenantId, diagramId },
          { fromId, toId, mode: 'all', limit: maxPaths || DEFAULT_MAX_PATHS },
        );
        requireProjected(result.appliedVersion, diagramId);
        if (result.missingIds.length > 0) {
          throw new QueryError(
            'NOT_FOUND',
            `no flow node or pool ${result.missingIds.join(', ')} in diagram ${diagramId}`,
          );
        }
        return result.paths.map((p) =>
          p.elementIds.flatMap((id, i) => (i < p.flowIds.length ? [id, p.flowIds[i]!] : [id])),
        );
      }),

    findDanglingFlows: (tenantId, diagramId) =>
      answer(tenantId, diagramId, async () => {
        const { appliedVersion, flows } = await queries.findDanglingFlows({ tenantId, diagramId });
        requireProjected(appliedVersion, diagramId);
        return flows.map((f) => ({
          flowId: f.elementId,
          type: f.type,
          sourceId: f.sourceId ?? '',
          targetId: f.targetId ?? '',
          reason: f.missing === 'both' ? 'missing source and target' : `missing ${f.missing}`,
        }));
      }),
  };
}

async function answer<T>(tenantId: string, diagramId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GraphQueryError) throw new QueryError('INVALID_ARGUMENT', error.message);
    if (error instanceof QueryError) throw error;
    throw new QueryError('UNAVAILABLE', `graph read model (${tenantId}/${diagramId}): ${(error as Error).message}`);
  }
}

function requireProjected(appliedVersion: number, diagramId: string): void {
  if (appliedVersion === 0)
    throw new QueryError('NOT_FOUND', `diagram ${diagramId} is not in the graph read model (yet)`);
}

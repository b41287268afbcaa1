import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import type { CypherStatement } from '../store/graph-writes.js';
import {
  graphLabels,
  SERVING_NAME,
  servingVersionStatement,
  VERSION_LABEL,
  type GraphLabels,
} from '../store/graph-labels.js';
import {
  appliedVersionQuery,
  danglingFlowsQuery,
  existingIdsQuery,
  isolatedNodesQuery,
  pathBounds,
  pathsQuery,
  unreachableQuery,
} from './graph-query-cypher.js';
import type { DanglingFlow, GraphElement, GraphPath, GraphQueries, GraphScope } from './graph-queries.js';

export interface Neo4jGraphQueriesOptions {
  driver: Driver;
  /**
   * Always read these labels; without them, read the serving version (the one its sink last
   * activated, else `fallbackVersion`) at its current generation, looked up in each question's
   * transaction (at most every `servingCheckMs`, default 0: always — a rebuild's switch to a new
   * generation drops the old one a few seconds later).
   */
  labels?: GraphLabels;
  fallbackVersion?: number;
  servingCheckMs?: number;
  /** Which serving record to read (tests use their own). */
  servingName?: string;
  /** Cap on one question's transaction; a path search over a huge, loopy graph stops here. */
  timeoutMs?: number;
}

/** GraphQueries over the Neo4j read model: each answer is read in one transaction with its applied version. */
export function createNeo4jGraphQueries(options: Neo4jGraphQueriesOptions): GraphQueries {
  const { driver, timeoutMs = 10_000, servingCheckMs = 0 } = options;
  let serving = { labels: options.labels ?? graphLabels(options.fallbackVersion ?? 1), checkedAt: -Infinity };
  const servingLabels = async (tx: ManagedTransaction): Promise<GraphLabels> => {
    if (options.labels || performance.now() - serving.checkedAt < servingCheckMs) return serving.labels;
    const [row] = await run(tx, servingVersionStatement(options.servingName));
    const version = row?.version == null ? (options.fallbackVersion ?? 1) : toNumber(row.version);
    let generation = row?.version == null ? undefined : row.generation;
    if (row?.version == null) {
      // Nothing activated yet: the fallback version's generation.
      const [g] = await run(tx, generationStatement(version, options.servingName));
      generation = g?.generation;
    }
    serving = { labels: graphLabels(version, toNumber(generation) || 1), checkedAt: performance.now() };
    return serving.labels;
  };

  /** One read transaction per question, with the labels of the version serving. */
  const read = async <T>(work: (tx: ManagedTransaction, labels: GraphLabels) => Promise<T>): Promise<T> => {
    const session = driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(async (tx) => work(tx, await servingLabels(tx)), { timeout: timeoutMs });
    } finally {
      await session.close();
    }
  };
  const appliedVersion = async (tx: ManagedTransaction, labels: GraphLabels, scope: GraphScope) =>
    toNumber((await run(tx, appliedVersionQuery(labels, scope)))[0]?.appliedVersion);

  return {
    findUnreachable: (scope) =>
      read(async (tx, labels) => ({
        appliedVersion: await appliedVersion(tx, labels, scope),
        elements: (await run(tx, unreachableQuery(labels, scope))).map(element),
      })),

    findPaths: async (scope, request) => {
      const { limit } = pathBounds(request);
      return read(async (tx, labels) => {
        const statement = pathsQuery(labels, scope, request);
        const version = await appliedVersion(tx, labels, scope);
        const found = (await run(tx, existingIdsQuery(labels, scope, [request.fromId, request.toId])))[0]
          ?.found as string[];
        const missingIds = [...new Set([request.fromId, request.toId])].filter((id) => !found.includes(id));
        if (missingIds.length > 0) return { appliedVersion: version, paths: [], truncated: false, missingIds };
        // A path from a node to itself is that node: no flow needs following.
        if (request.fromId === request.toId) {
          return {
            appliedVersion: version,
            paths: [{ elementIds: [request.fromId], flowIds: [] }],
            truncated: false,
            missingIds,
          };
        }
        const paths = (await run(tx, statement)).map((r): GraphPath => ({
          elementIds: r.elementIds as string[],
          flowIds: r.flowIds as string[],
        }));
        paths.sort(byLengthThenIds);
        return { appliedVersion: version, paths: paths.slice(0, limit), truncated: paths.length > limit, missingIds };
      });
    },

    findDanglingFlows: (scope) =>
      read(async (tx, labels) => ({
        appliedVersion: await appliedVersion(tx, labels, scope),
        flows: (await run(tx, danglingFlowsQuery(labels, scope))).map((r): DanglingFlow => ({
          elementId: r.elementId as string,
          type: r.type as string,
          name: (r.name as string | null) ?? null,
          sourceId: (r.sourceId as string | null) ?? null,
          targetId: (r.targetId as string | null) ?? null,
          missing: r.missing as DanglingFlow['missing'],
        })),
        isolatedNodes: (await run(tx, isolatedNodesQuery(labels, scope))).map(element),
      })),
  };
}

async function run(tx: ManagedTransaction, statement: CypherStatement): Promise<Record<string, unknown>[]> {
  const { records } = await tx.run(statement.text, statement.params);
  return records.map((r) => r.toObject() as Record<string, unknown>);
}

function element(r: Record<string, unknown>): GraphElement {
  return { elementId: r.elementId as string, type: r.type as string, name: (r.name as string | null) ?? null };
}

function byLengthThenIds(a: GraphPath, b: GraphPath): number {
  if (a.elementIds.length !== b.elementIds.length) return a.elementIds.length - b.elementIds.length;
  const ka = a.elementIds.join('\u0000') + '\u0001' + a.flowIds.join('\u0000');
  const kb = b.elementIds.join('\u0000') + '\u0001' + b.flowIds.join('\u0000');
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function generationStatement(version: number, name = SERVING_NAME): CypherStatement {
  return {
    text: `MATCH (g:${VERSION_LABEL} {name: $name, version: toInteger($version)}) RETURN g.generation AS generation`,
    params: { name, version },
  };
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  return 0;
}

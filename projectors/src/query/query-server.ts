import * as grpc from '@grpc/grpc-js';
import { authenticate, AuthenticationError, isAllowed, type Caller, type TokenVerifier } from '@flowledger/auth';
import { loadProtoPackages } from '@flowledger/protos';
import type { GraphQueries } from './graph-queries.js';
import { GRPC_STATUS, QueryError } from './query-error.js';
import type { StatsQueries } from './stats-queries.js';

export interface QueryServerOptions {
  /** host:port to bind. */
  bindAddress: string;
  /** The buf module `schemas/proto`. */
  protoDir: string;
  verifyToken: TokenVerifier;
  stats: StatsQueries;
  /** The Neo4j read model's answers; without it the graph RPCs are UNIMPLEMENTED. */
  graph?: GraphQueries;
  onError?(error: unknown, method: string): void;
}

const DEFAULT_MAX_PATHS = 10;
const MAX_PATHS = 100;

type Handler = (caller: Caller, request: Record<string, unknown>) => Promise<object>;

/** `flowledger.query.v1.QueryService` and `grpc.health.v1.Health` on one gRPC server. */
export async function startQueryServer(options: QueryServerOptions): Promise<grpc.Server> {
  const loaded = loadProtoPackages<{
    flowledger: { query: { v1: { QueryService: grpc.ServiceClientConstructor } } };
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  }>(['flowledger/query/v1/query.proto', 'grpc/health/v1/health.proto'], options.protoDir);
  const { stats, graph } = options;
  const needGraph = (): GraphQueries => {
    if (!graph) throw new QueryError('UNIMPLEMENTED', 'graph queries need the Neo4j read model, which is not running');
    return graph;
  };
  const handlers: Record<string, Handler> = {
    GetDiagramStats: async (c, r) => {
      const s = await stats.diagramStats(c.tenantId, String(r.diagramId));
      return { ...s, updatedAt: timestamp(s.updatedAt) };
    },
    GetActivity: async (c, r) => ({
      activity: await stats.activity(c.tenantId, {
        diagramId: String(r.diagramId),
        actorId: String(r.actorId),
        fromDay: String(r.fromDay),
        toDay: String(r.toDay),
      }),
    }),
    GetVersionHistory: async (c, r) => ({
      diagramId: r.diagramId,
      versions: (await stats.versionHistory(c.tenantId, String(r.diagramId))).map((v) => ({
        ...v,
        occurredAt: timestamp(v.occurredAt),
      })),
    }),
    FindUnreachable: async (c, r) => ({
      elements: await needGraph().findUnreachable(c.tenantId, requireId(r.diagramId)),
    }),
    FindPaths: async (c, r) => {
      const max = Number(r.maxPaths) || DEFAULT_MAX_PATHS;
      if (max < 0 || max > MAX_PATHS) throw new QueryError('INVALID_ARGUMENT', `max_paths must be 0..${MAX_PATHS}`);
      if (!r.fromElementId || !r.toElementId)
        throw new QueryError('INVALID_ARGUMENT', 'from_element_id and to_element_id are required');
      const paths = await needGraph().findPaths(
        c.tenantId,
        requireId(r.diagramId),
        String(r.fromElementId),
        String(r.toElementId),
        max,
      );
      return { paths: paths.map((elementIds) => ({ elementIds })) };
    },
    FindDanglingFlows: async (c, r) => ({
      flows: await needGraph().findDanglingFlows(c.tenantId, requireId(r.diagramId)),
    }),
  };

  const server = new grpc.Server();
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [method, handle] of Object.entries(handlers)) {
    implementation[method] = (
      call: grpc.ServerUnaryCall<Record<string, unknown>, object>,
      callback: grpc.sendUnaryData<object>,
    ) => {
      void (async () => {
        try {
          const caller = await authenticate((key) => metadataValue(call.metadata, key), options.verifyToken);
          if (!isAllowed(caller, 'read'))
            throw new QueryError('PERMISSION_DENIED', `role(s) ${caller.roles.join(', ')} may not read`);
          callback(null, await handle(caller, call.request));
        } catch (error) {
          callback(toServiceError(error, method, options.onError));
        }
      })();
    };
  }
  server.addService(loaded.flowledger.query.v1.QueryService.service, implementation);
  server.addService(loaded.grpc.health.v1.Health.service, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { status: 'SERVING' }),
    Watch: (call: grpc.ServerWritableStream<unknown, object>) => {
      call.write({ status: 'SERVING' });
    },
  });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(options.bindAddress, grpc.ServerCredentials.createInsecure(), (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  return server;
}

function requireId(value: unknown): string {
  if (!value) throw new QueryError('INVALID_ARGUMENT', 'diagram_id is required');
  return String(value);
}

function metadataValue(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : String(value);
}

function timestamp(date: Date): { seconds: number; nanos: number } {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

function toServiceError(
  error: unknown,
  method: string,
  onError?: (e: unknown, m: string) => void,
): Partial<grpc.ServiceError> {
  if (error instanceof AuthenticationError) return { code: GRPC_STATUS.UNAUTHENTICATED, details: error.message };
  if (error instanceof QueryError) {
    if (error.code === 'UNAVAILABLE') onError?.(error, method);
    return { code: GRPC_STATUS[error.code], details: error.message };
  }
  onError?.(error, method);
  return { code: grpc.status.INTERNAL, details: `query failed: ${(error as Error).message}` };
}

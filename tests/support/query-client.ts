import * as grpc from '@grpc/grpc-js';
import { loadStackConfig } from '@flowledger/config';
import { loadProtoPackages } from '@flowledger/protos';

const QueryService = loadProtoPackages<{
  flowledger: { query: { v1: { QueryService: grpc.ServiceClientConstructor } } };
}>(['flowledger/query/v1/query.proto']).flowledger.query.v1.QueryService;

type Stub = grpc.Client & Record<string, (...args: unknown[]) => grpc.ClientUnaryCall>;

/**
 * A real gRPC client of `flowledger.query.v1.QueryService` for tests: through Envoy (the edge,
 * with its JWT check) unless `address` points straight at the projectors process.
 */
export class QueryClient {
  private readonly stub: Stub;

  constructor(
    private readonly token: string | undefined,
    options: { address?: string } = {},
  ) {
    const config = loadStackConfig();
    this.stub = new QueryService(
      options.address ?? `${config.host}:${config.edge.port}`,
      grpc.credentials.createInsecure(),
    ) as unknown as Stub;
  }

  call<T = Record<string, unknown>>(method: string, request: object): Promise<T> {
    const md = new grpc.Metadata();
    if (this.token) md.set('authorization', `Bearer ${this.token}`);
    return new Promise((resolve, reject) => {
      this.stub[method]!(request, md, { deadline: Date.now() + 30_000 }, (error: grpc.ServiceError | null, r: T) =>
        error ? reject(error) : resolve(r),
      );
    });
  }

  close(): void {
    this.stub.close();
  }
}

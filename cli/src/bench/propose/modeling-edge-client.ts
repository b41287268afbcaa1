import * as grpc from '@grpc/grpc-js';
import { operationToProto, type Operation } from '@flowledger/bpmn-operations';
import { loadProtoPackages } from '@flowledger/protos';

const ModelingService = loadProtoPackages<{
  flowledger: { modeling: { v1: { ModelingService: grpc.ServiceClientConstructor } } };
}>(['flowledger/modeling/v1/modeling.proto']).flowledger.modeling.v1.ModelingService;

export type ProposeOutcome =
  | { result: 'applied'; version: number; idMap: Record<string, string> }
  | { result: 'rejected'; code: string; message: string; currentVersion: number };

interface ProposeResponse {
  result: 'applied' | 'rejected';
  applied: { version: number; idMap?: Record<string, string> };
  rejected: { code: string; message: string; currentVersion: number };
}

type Callback = (error: grpc.ServiceError | null, response: unknown) => void;
type Stub = grpc.Client &
  Record<string, (request: unknown, md: grpc.Metadata, options: grpc.CallOptions, cb: Callback) => void>;

/**
 * The benchmark's client of `flowledger.modeling.v1.ModelingService`: plain gRPC to the edge
 * (Envoy), which checks the JWT and forwards to a command service — the path every client takes.
 */
export class ModelingEdgeClient {
  private readonly stub: Stub;
  private readonly metadata = new grpc.Metadata();

  constructor(address: string, token: string) {
    this.stub = new ModelingService(address, grpc.credentials.createInsecure()) as unknown as Stub;
    this.metadata.set('authorization', `Bearer ${token}`);
  }

  createDiagram(name: string, xml: string, transactionId: string): Promise<{ diagramId: string; version: number }> {
    return this.unary('CreateDiagram', { name, xml, transactionId });
  }

  async propose(
    diagramId: string,
    baseVersion: number,
    operations: Operation[],
    transactionId: string,
  ): Promise<ProposeOutcome> {
    const response = await this.unary<ProposeResponse>('Propose', {
      diagramId,
      baseVersion,
      transactionId,
      operations: operations.map(operationToProto),
    });
    if (response.result === 'applied') {
      return { result: 'applied', version: response.applied.version, idMap: response.applied.idMap ?? {} };
    }
    const r = response.rejected;
    return {
      result: 'rejected',
      code: String(r.code).replace(/^REJECT_CODE_/, ''),
      message: r.message,
      currentVersion: r.currentVersion,
    };
  }

  /** The tenant's diagrams (one Postgres query in the service): the cheapest call that still reaches the ledger. */
  listDiagrams(): Promise<unknown> {
    return this.unary('ListDiagrams', {});
  }

  close(): void {
    this.stub.close();
  }

  private unary<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.stub[method]!(request, this.metadata, { deadline: Date.now() + 30_000 }, (error, response) =>
        error ? reject(error) : resolve(response as T),
      );
    });
  }
}

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadStackConfig } from '@flowledger/config';
import { operationToProto, type Operation } from '@flowledger/bpmn-operations';
import { loadProtoPackages } from '@flowledger/protos';

const ModelingService = loadProtoPackages<{
  flowledger: { modeling: { v1: { ModelingService: grpc.ServiceClientConstructor } } };
}>(['flowledger/modeling/v1/modeling.proto']).flowledger.modeling.v1.ModelingService;

/** A `DiagramChange` of Subscribe as proto-loader decodes it. */
export interface DiagramChangeWire {
  version: number;
  transactionId: string;
  actorId: string;
  operations: unknown[];
  idMap: Record<string, string>;
}

type Stub = grpc.Client & Record<string, (...args: unknown[]) => grpc.ClientReadableStream<DiagramChangeWire>>;

export interface Violation {
  elementId: string;
  rule: string;
  message: string;
  line: number;
  column: number;
}
/** google.protobuf.Timestamp as @grpc/proto-loader decodes it (`longs: Number`). */
export interface Timestamp {
  seconds: number;
  nanos: number;
}
export type ProposeResult =
  | {
      result: 'applied';
      applied: { version: number; idMap: Record<string, string>; lintWarnings: Violation[]; snapshotGzip: Buffer };
    }
  | {
      result: 'rejected';
      rejected: { code: string; message: string; violations: Violation[]; currentVersion: number; reviewId: string };
    };

/** Mints a dev token with the CLI, exactly as a user would. */
export function devToken(tenant: string, actor: string, roles: string[], ttlSeconds?: number): string {
  const args = ['cli/bin/flowledger.js', 'token', '--tenant', tenant, '--actor', actor, '--roles', roles.join(',')];
  if (ttlSeconds !== undefined) args.push('--ttl', String(ttlSeconds));
  return execFileSync(process.execPath, args, { encoding: 'utf8', cwd: join(import.meta.dirname, '..', '..') }).trim();
}

/**
 * A real gRPC client of `flowledger.modeling.v1.ModelingService` for tests. By default it goes
 * through Envoy (the edge, with its JWT check); `address` can point straight at a command-service.
 */
export class ModelingClient {
  private readonly stub: Stub;

  constructor(
    private readonly token: string | undefined,
    options: { address?: string; headers?: Record<string, string> } = {},
  ) {
    const config = loadStackConfig();
    const address = options.address ?? `${config.host}:${config.edge.port}`;
    this.stub = new ModelingService(address, grpc.credentials.createInsecure()) as unknown as Stub;
    this.headers = options.headers ?? {};
  }

  private readonly headers: Record<string, string>;

  createDiagram(name: string, xml = '', transactionId = randomTx()): Promise<{ diagramId: string; version: number }> {
    return this.unary('CreateDiagram', { name, xml, transactionId });
  }

  async propose(
    diagramId: string,
    baseVersion: number,
    operations: Operation[],
    transactionId = randomTx(),
  ): Promise<ProposeResult> {
    return this.unary('Propose', {
      diagramId,
      baseVersion,
      transactionId,
      operations: operations.map(operationToProto),
    });
  }

  getDiagram(diagramId: string, version = 0): Promise<{ xml: string; version: number }> {
    return this.unary('GetDiagram', { diagramId, version });
  }

  listDiagrams(): Promise<{
    diagrams: Array<{ diagramId: string; name: string; version: number; updatedAt: Timestamp }>;
  }> {
    return this.unary('ListDiagrams', {});
  }

  listVersions(
    diagramId: string,
  ): Promise<{ versions: Array<{ version: number; transactionId: string; actorId: string; occurredAt: Timestamp }> }> {
    return this.unary('ListVersions', { diagramId });
  }

  /** Opens Subscribe; `onChange` gets each DiagramChange; call the returned function to cancel. */
  subscribe(
    diagramId: string,
    fromVersion: number,
    onChange: (change: DiagramChangeWire) => void,
    onError?: (e: grpc.ServiceError) => void,
  ): () => void {
    const call = this.stub.Subscribe!({ diagramId, fromVersion }, this.metadata());
    call.on('data', onChange);
    call.on('error', (e: grpc.ServiceError) => {
      if (e.code !== grpc.status.CANCELLED) onError?.(e);
    });
    return () => call.cancel();
  }

  close(): void {
    this.stub.close();
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.token) md.set('authorization', `Bearer ${this.token}`);
    for (const [k, v] of Object.entries(this.headers)) md.set(k, v);
    return md;
  }

  private unary<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.stub[method]!(
        request,
        this.metadata(),
        { deadline: Date.now() + 30_000 },
        (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response)),
      );
    });
  }
}

export function randomTx(): string {
  return `tx-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
}

export { grpc };

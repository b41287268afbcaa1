import * as grpc from '@grpc/grpc-js';
import {
  OperationError,
  operationFromProto,
  operationToProto,
  parseDiagram,
  type OperationViolation,
  type ProtoObject,
} from '@flowledger/bpmn-operations';
import { loadProtoPackages } from '@flowledger/protos';
import { timed } from '../../observability/metrics.js';
import { callMetadata, type CallIds } from '../call-ids.js';
import type { OperationEngine } from './operation-engine.js';

interface ApplyResponse {
  applied?: { xml: string; idMap: Record<string, string>; resolved: ProtoObject[] };
  rejected?: { code: string; message: string; violations: OperationViolation[] };
}

type SidecarStub = grpc.Client & {
  Apply(
    request: unknown,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (e: grpc.ServiceError | null, r?: ApplyResponse) => void,
  ): void;
};

/**
 * The moddle sidecar (`flowledger.moddle.v1.ModdleSidecarService`): applies operations to the
 * XML it is sent and returns the result. The command service still parses that result for lint.
 */
export function createSidecarEngine(
  address: string,
  protoDir: string,
  timeoutMs = 10_000,
): OperationEngine & { close(): void } {
  const loaded = loadProtoPackages<{
    flowledger: {
      moddle: { v1: { ModdleSidecarService: new (a: string, c: grpc.ChannelCredentials) => SidecarStub } };
    };
  }>(['flowledger/moddle/v1/moddle.proto'], protoDir);
  const stub = new loaded.flowledger.moddle.v1.ModdleSidecarService(address, grpc.credentials.createInsecure());

  const call = (request: unknown, ids: CallIds | undefined) =>
    new Promise<ApplyResponse>((resolve, reject) =>
      stub.Apply(request, callMetadata(ids), { deadline: new Date(Date.now() + timeoutMs) }, (error, response) =>
        error || !response ? reject(error ?? new Error('moddle sidecar: empty response')) : resolve(response),
      ),
    );

  return {
    name: 'sidecar',
    async apply(entry, operations, { version, limits, ids }) {
      const response = await timed('apply', () =>
        call({ xml: entry.xml, version, operations: operations.map(operationToProto), limits }, ids),
      );
      if (response.rejected) {
        const code = response.rejected.code.replace(/^REJECT_CODE_/, '');
        throw new OperationError(
          code === 'LIMIT_EXCEEDED' ? 'LIMIT_EXCEEDED' : 'INVALID_OPERATION',
          response.rejected.message,
          response.rejected.violations,
        );
      }
      const applied = response.applied!;
      const model = await timed('parse', () => parseDiagram(applied.xml));
      return { idMap: applied.idMap, resolved: applied.resolved.map(operationFromProto), xml: applied.xml, model };
    },
    close: () => stub.close(),
  };
}

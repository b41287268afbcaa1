import * as grpc from '@grpc/grpc-js';
import { handleApply, type ApplyRequest, type ApplyResponse } from './apply-handler.js';
import { healthImplementation } from './health-service.js';
import { callIdsOf, outcomeOf, type ApplyObserver } from './observability/apply-observation.js';
import { MODDLE_SERVICE_NAME, loadDefinitions } from './proto-definitions.js';

export interface ModdleSidecar {
  /** The port actually bound (useful with port 0). */
  port: number;
  stop(): Promise<void>;
}

/** Starts the sidecar's gRPC server on `bindAddress` ("host:port"); `observe` hears about every Apply. */
export async function startModdleSidecar(options: {
  bindAddress: string;
  observe?: ApplyObserver;
}): Promise<ModdleSidecar> {
  const observe = options.observe ?? (() => {});
  const packages = loadDefinitions();
  // Whole diagrams travel in both directions: allow up to 64 MiB instead of grpc-js' 4 MiB default.
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  server.addService(packages.flowledger.moddle.v1.ModdleSidecarService.service, {
    Apply(call: grpc.ServerUnaryCall<ApplyRequest, ApplyResponse>, callback: grpc.sendUnaryData<ApplyResponse>) {
      const started = performance.now();
      const { request } = call;
      const observed = {
        ids: callIdsOf(call.metadata),
        version: request.version,
        operations: request.operations.length,
        xmlBytes: Buffer.byteLength(request.xml),
      };
      const seconds = () => (performance.now() - started) / 1000;
      handleApply(request).then(
        (response) => {
          const outcome = outcomeOf(response);
          const reason = 'rejected' in response ? response.rejected.message : undefined;
          observe({ ...observed, outcome, reason, durationSeconds: seconds() });
          callback(null, response);
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          observe({ ...observed, outcome: 'INTERNAL', reason: message, error, durationSeconds: seconds() });
          callback({ code: grpc.status.INTERNAL, details: message });
        },
      );
    },
  });
  server.addService(packages.grpc.health.v1.Health.service, healthImplementation([MODDLE_SERVICE_NAME]));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(options.bindAddress, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

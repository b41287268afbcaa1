import * as grpc from '@grpc/grpc-js';
import { handleApply, type ApplyRequest, type ApplyResponse } from './apply-handler.js';
import { healthImplementation } from './health-service.js';
import { MODDLE_SERVICE_NAME, loadDefinitions } from './proto-definitions.js';

export interface ModdleSidecar {
  /** The port actually bound (useful with port 0). */
  port: number;
  stop(): Promise<void>;
}

/** Starts the sidecar's gRPC server on `bindAddress` ("host:port"). */
export async function startModdleSidecar(options: {
  bindAddress: string;
  log?: (line: string) => void;
}): Promise<ModdleSidecar> {
  const log = options.log ?? (() => {});
  const packages = loadDefinitions();
  // Whole diagrams travel in both directions: allow up to 64 MiB instead of grpc-js' 4 MiB default.
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  server.addService(packages.flowledger.moddle.v1.ModdleSidecarService.service, {
    Apply(call: grpc.ServerUnaryCall<ApplyRequest, ApplyResponse>, callback: grpc.sendUnaryData<ApplyResponse>) {
      const started = performance.now();
      handleApply(call.request).then(
        (response) => {
          const outcome = 'applied' in response ? 'applied' : `rejected: ${response.rejected.message}`;
          log(
            `Apply v${call.request.version} ${call.request.operations.length} ops ${(performance.now() - started).toFixed(1)} ms ${outcome}`,
          );
          callback(null, response);
        },
        (error: unknown) => {
          log(`Apply failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          callback({ code: grpc.status.INTERNAL, details: error instanceof Error ? error.message : String(error) });
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

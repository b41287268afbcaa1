import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The repository's proto folder (schemas/proto). */
export const PROTO_DIR = fileURLToPath(new URL('../../schemas/proto', import.meta.url));

export const MODDLE_SERVICE_NAME = 'flowledger.moddle.v1.ModdleSidecarService';

/** The options @flowledger/bpmn-operations' proto mapping is written for. */
export const LOADER_OPTIONS: protoLoader.Options = {
  includeDirs: [PROTO_DIR],
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

interface LoadedPackages {
  flowledger: { moddle: { v1: { ModdleSidecarService: grpc.ServiceClientConstructor } } };
  grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
}

/** The sidecar's own service and the standard health service, loaded once. */
export function loadDefinitions(): LoadedPackages {
  const definition = protoLoader.loadSync(
    [join(PROTO_DIR, 'flowledger/moddle/v1/moddle.proto'), join(PROTO_DIR, 'grpc/health/v1/health.proto')],
    LOADER_OPTIONS,
  );
  return grpc.loadPackageDefinition(definition) as unknown as LoadedPackages;
}

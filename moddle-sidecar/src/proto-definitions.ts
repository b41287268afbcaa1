import type * as grpc from '@grpc/grpc-js';
import { loadProtoPackages } from '@flowledger/protos';

export const MODDLE_SERVICE_NAME = 'flowledger.moddle.v1.ModdleSidecarService';

interface LoadedPackages {
  flowledger: { moddle: { v1: { ModdleSidecarService: grpc.ServiceClientConstructor } } };
  grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
}

/** The sidecar's own service and the standard health service, loaded once. */
export function loadDefinitions(): LoadedPackages {
  return loadProtoPackages<LoadedPackages>(['flowledger/moddle/v1/moddle.proto', 'grpc/health/v1/health.proto']);
}

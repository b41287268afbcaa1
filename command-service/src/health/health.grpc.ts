/** Where the standard health service is defined, for the gRPC transport to load. */
export const HEALTH_GRPC = {
  package: 'grpc.health.v1',
  protoFile: 'grpc/health/v1/health.proto',
} as const;

/** Injection token of the ServingStatusBoard (tsx emits no decorator metadata, so tokens are explicit). */
export const SERVING_STATUS_BOARD = Symbol('ServingStatusBoard');

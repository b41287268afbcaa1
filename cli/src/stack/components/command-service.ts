import { join } from 'node:path';
import type { Component } from '../component.js';
import { isGrpcServing } from '../grpc-health-probe.js';

/** The NestJS Command Service: internal gRPC, reached from browsers only through Envoy. */
export const commandService: Component = {
  name: 'commandService',
  // The write path needs every one of these before it can take a proposal.
  dependsOn: ['postgres', 'kafka', 'schemaRegistry', 'validator', 'oidc'],
  endpoint: (config) => `grpc://${config.grpc.address}`,
  // Its dependencies are the workspace's npm packages, installed with the rest of the checkout.
  install: async () => {},
  launch: async (ctx) => ({
    cmd: process.execPath,
    args: ['--import', 'tsx', 'src/main.ts'],
    // From its own folder, so tsx picks up its tsconfig.json (Nest needs experimental decorators).
    cwd: join(ctx.root, 'command-service'),
  }),
  healthy: (ctx) => isGrpcServing(ctx.config.grpc.address, join(ctx.root, 'schemas', 'proto')),
  startTimeoutSeconds: 60,
};

import { join } from 'node:path';
import type { Component } from '../component.js';
import { isGrpcServing } from '../grpc-health-probe.js';

/**
 * The read side: the projectors (one consumer group per read model, Postgres and Neo4j) and the
 * Query API (`flowledger.query.v1.QueryService`, internal gRPC, reached through Envoy).
 */
export const projectors: Component = {
  name: 'projectors',
  dependsOn: ['postgres', 'kafka', 'schemaRegistry', 'neo4j'],
  endpoint: (config) => `grpc://${config.query.address}`,
  // Its dependencies are the workspace's npm packages, installed with the rest of the checkout.
  install: async () => {},
  launch: async (ctx) => ({
    cmd: process.execPath,
    args: ['--import', 'tsx', 'src/main.ts'],
    cwd: join(ctx.root, 'projectors'),
    // Read models are eventually consistent: their work waits for the write path's (stack config).
    niceness: ctx.config.readSideNiceness,
  }),
  healthy: (ctx) => isGrpcServing(ctx.config.query.address, join(ctx.root, 'schemas', 'proto')),
  startTimeoutSeconds: 60,
};

import { join } from 'node:path';
import type { Component } from '../component.js';
import { isGrpcServing } from '../grpc-health-probe.js';

const SERVICE = 'flowledger.moddle.v1.ModdleSidecarService';

/** Where the sidecar serves /metrics (its config module reads the same variable and default). */
const metricsPort = () => process.env.FLOWLEDGER_MODDLE_METRICS_PORT ?? '9468';

/** The Moddle Sidecar: stateless bpmn-moddle operations over gRPC, for a Command Service configured to use it. */
export const moddleSidecar: Component = {
  name: 'moddleSidecar',
  dependsOn: [],
  endpoint: (config) => `grpc://${config.moddle.address}`,
  // Its dependencies are the workspace's npm packages, installed with the rest of the checkout.
  install: async () => {},
  launch: async (ctx) => ({
    cmd: process.execPath,
    args: ['--import', 'tsx', join('moddle-sidecar', 'src', 'main.ts')],
    cwd: ctx.root,
    env: { ...process.env, FLOWLEDGER_MODDLE_METRICS_PORT: metricsPort() },
  }),
  healthy: (ctx) => isGrpcServing(ctx.config.moddle.address, join(ctx.root, 'schemas', 'proto'), { service: SERVICE }),
  startTimeoutSeconds: 30,
};

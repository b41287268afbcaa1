import { join } from 'node:path';
import type { Component } from '../component.js';

/** Where the snapshotter serves /metrics (its config module reads the same variable). */
const metricsPort = () => Number(process.env.FLOWLEDGER_SNAPSHOTTER_METRICS_PORT ?? 9467);

/** The snapshotter: a consumer group writing gzip'd BPMN snapshots to Postgres and var/snapshots. */
export const snapshotter: Component = {
  name: 'snapshotter',
  // Reads the topics and the ledger, registers the snapshots schema, writes Postgres.
  dependsOn: ['postgres', 'kafka', 'schemaRegistry'],
  endpoint: (config) => `http://${config.host}:${metricsPort()}/metrics`,
  // Its dependencies are the workspace's npm packages, installed with the rest of the checkout.
  install: async () => {},
  launch: async (ctx) => ({
    cmd: process.execPath,
    args: ['--import', 'tsx', join('snapshotter', 'src', 'main.ts')],
    cwd: ctx.root,
    // Snapshots are eventually consistent: their work waits for the write path's (stack config).
    niceness: ctx.config.readSideNiceness,
  }),
  // Healthy once it serves metrics, which main.ts starts after migrating and joining the group.
  healthy: async (ctx) => {
    try {
      const res = await fetch(`http://${ctx.config.host}:${metricsPort()}/metrics`, {
        signal: AbortSignal.timeout(2000),
      });
      return res.ok;
    } catch {
      return false;
    }
  },
  startTimeoutSeconds: 60,
};

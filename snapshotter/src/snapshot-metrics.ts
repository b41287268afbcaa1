import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The snapshotter's Prometheus metrics (DESIGN.md §9: snapshot size and write time). */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const snapshotSize = new Histogram({
  name: 'flowledger_snapshot_size_bytes',
  help: 'Size of each snapshot written: form="xml" uncompressed, form="gzip" as stored',
  labelNames: ['form'] as const,
  buckets: [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216],
  registers: [registry],
});

export const snapshotWriteDuration = new Histogram({
  name: 'flowledger_snapshot_write_duration_seconds',
  help: 'Time to write one snapshot: gzip, archive file (fsync, rename) and the Postgres row',
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});

import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The sidecar's Prometheus metrics, in a registry of its own (served on `/metrics`). */
export interface SidecarMetrics {
  registry: Registry;
  applyDuration: Histogram<'outcome'>;
  requests: Counter<'rpc' | 'outcome'>;
}

export function createSidecarMetrics(): SidecarMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    applyDuration: new Histogram({
      name: 'flowledger_sidecar_apply_duration_seconds',
      help: 'Time to parse, apply, serialize and hash one Apply, by outcome (applied, the reject code or INTERNAL)',
      labelNames: ['outcome'] as const,
      // The command service's apply step: sub-millisecond for small diagrams, tens of ms for large ones.
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    requests: new Counter({
      name: 'flowledger_sidecar_requests_total',
      help: 'gRPC requests answered by the sidecar, by rpc and outcome',
      labelNames: ['rpc', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

/** The projector metrics of DESIGN.md §9 / issue 4 item 7, on a prom-client registry. */
export interface ProjectionMetrics {
  /** `flowledger_projection_lag{group}`: records on the group's topics it has not committed yet. */
  lag: Gauge<'group'>;
  /** `flowledger_projection_apply_seconds{projection}`: one sink write (apply, or a rebuild batch). */
  applySeconds: Histogram<'projection'>;
  /** `flowledger_projection_events_total{projection,result}`: applied / duplicate / ignored / failed. */
  events: Counter<'projection' | 'result'>;
}

/** Registers the metrics once per registry; later calls return the same ones. */
export function createProjectionMetrics(registry: Registry = defaultRegistry): ProjectionMetrics {
  const existing = registry.getSingleMetric('flowledger_projection_lag');
  if (existing) {
    return {
      lag: existing as Gauge<'group'>,
      applySeconds: registry.getSingleMetric('flowledger_projection_apply_seconds') as Histogram<'projection'>,
      events: registry.getSingleMetric('flowledger_projection_events_total') as Counter<'projection' | 'result'>,
    };
  }
  return {
    lag: new Gauge({
      name: 'flowledger_projection_lag',
      help: 'Records on the consumer group topics not yet projected and committed',
      labelNames: ['group'],
      registers: [registry],
    }),
    applySeconds: new Histogram({
      name: 'flowledger_projection_apply_seconds',
      help: 'Time of one projection sink write',
      labelNames: ['projection'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    events: new Counter({
      name: 'flowledger_projection_events_total',
      help: 'Diagram events seen by a projector, by what became of them',
      labelNames: ['projection', 'result'],
      registers: [registry],
    }),
  };
}

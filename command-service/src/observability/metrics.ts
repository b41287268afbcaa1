import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The command path's Prometheus metrics (DESIGN.md §9), served on `/metrics`. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const acceptLatency = new Histogram({
  name: 'flowledger_propose_duration_seconds',
  help: 'Time from receiving a proposal to answering it, by outcome (applied or the reject code)',
  labelNames: ['outcome'] as const,
  buckets: [0.002, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const stepLatency = new Histogram({
  name: 'flowledger_propose_step_duration_seconds',
  help: 'Time spent in each step of the write path',
  labelNames: ['step'] as const,
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
  registers: [registry],
});

export const xsdValidatorLatency = new Histogram({
  name: 'flowledger_xsd_validator_duration_seconds',
  help: 'Time validator-py reports for parsing and validating one document (the xsd step without the call)',
  buckets: [0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.05, 0.1],
  registers: [registry],
});

export const xsdErrors = new Counter({
  name: 'flowledger_xsd_errors_total',
  help: 'Proposals rejected by XSD validation',
  registers: [registry],
});

export const lintWarningsPerElement = new Histogram({
  name: 'flowledger_lint_warnings_per_element',
  help: 'Lint warnings of an applied version divided by its element count',
  buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2],
  registers: [registry],
});

export const eventsAppended = new Counter({
  name: 'flowledger_events_appended_total',
  help: 'Events appended to the ledger and published to Kafka',
  registers: [registry],
});

/** Times one step of the write path into `stepLatency`. */
export async function timed<T>(step: string, work: () => Promise<T> | T): Promise<T> {
  const end = stepLatency.startTimer({ step });
  try {
    return await work();
  } finally {
    end();
  }
}

import type { Logger } from 'pino';
import type { ApplyObservation, ApplyObserver } from './apply-observation.js';
import type { SidecarMetrics } from './sidecar-metrics.js';

/**
 * One JSON log line and the metrics for each Apply. Never logs the XML or the operations:
 * diagrams are tenant data; their size and count are enough to tell calls apart.
 */
export function createApplyObserver(logger: Logger, metrics: SidecarMetrics): ApplyObserver {
  return (o: ApplyObservation) => {
    metrics.applyDuration.observe({ outcome: o.outcome }, o.durationSeconds);
    metrics.requests.inc({ rpc: 'Apply', outcome: o.outcome });
    const fields = {
      ...o.ids,
      version: o.version,
      operations: o.operations,
      xml_bytes: o.xmlBytes,
      outcome: o.outcome,
      duration_ms: Math.round(o.durationSeconds * 1e6) / 1e3,
    };
    if (o.outcome === 'applied') logger.info(fields, 'apply');
    else if (o.outcome === 'INTERNAL') logger.error({ ...fields, err: o.error }, 'apply failed');
    else logger.info({ ...fields, reason: o.reason }, 'apply rejected');
  };
}

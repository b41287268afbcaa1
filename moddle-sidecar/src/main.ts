import { serveMetrics } from '@flowledger/metrics';
import { loadModdleSidecarConfig } from './moddle-sidecar.config.js';
import { startModdleSidecar } from './moddle-sidecar-server.js';
import { createApplyObserver } from './observability/apply-observer.js';
import { createSidecarLogger } from './observability/sidecar-logger.js';
import { createSidecarMetrics } from './observability/sidecar-metrics.js';

const config = loadModdleSidecarConfig();
const logger = createSidecarLogger(config.logLevel);
const metrics = createSidecarMetrics();

const metricsServer = await serveMetrics(metrics.registry, config.metrics.port, config.metrics.bindHost);
const sidecar = await startModdleSidecar({
  bindAddress: config.grpc.bindAddress,
  observe: createApplyObserver(logger, metrics),
});
logger.info(
  { grpc: config.grpc.bindAddress, metrics: `${config.metrics.bindHost}:${config.metrics.port}` },
  `gRPC listening on ${config.grpc.bindAddress}, metrics on :${config.metrics.port}/metrics`,
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'stopping');
    metricsServer.close();
    void sidecar.stop().then(() => process.exit(0));
  });
}

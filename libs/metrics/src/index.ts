import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * Serves `registry` as Prometheus text on `GET /metrics` (404 elsewhere, 500 if collecting
 * fails). Resolves once listening; rejects if the port cannot be bound, so a service whose
 * metrics port is taken fails at start rather than running unobserved.
 */
export function serveMetrics(registry: Registry, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { serveMetrics } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('serveMetrics', () => {
  it('serves the registry as Prometheus text on /metrics, and 404 elsewhere', async () => {
    // given a registry with a counter that was incremented
    const registry = new Registry();
    new Counter({ name: 'flowledger_test_total', help: 'a test counter', registers: [registry] }).inc(3);

    // when it is served on a free port
    const server = await serveMetrics(registry, 0, '127.0.0.1');
    servers.push(server);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // then /metrics has the counter's value, in Prometheus' content type, and other paths are 404
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe(registry.contentType);
    expect(await metrics.text()).toContain('flowledger_test_total 3');
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });

  it('rejects when the port is taken', async () => {
    // given a port some other server holds
    const holder = createServer();
    servers.push(holder);
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;

    // when metrics are served there, then the start fails with EADDRINUSE
    await expect(serveMetrics(new Registry(), port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

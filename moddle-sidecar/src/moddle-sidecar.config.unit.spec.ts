import { describe, expect, it } from 'vitest';
import { loadModdleSidecarConfig } from './moddle-sidecar.config.js';

describe('moddle sidecar configuration', () => {
  it('serves gRPC on the stack address and metrics on 9468 by default', () => {
    const config = loadModdleSidecarConfig({});

    expect(config).toEqual({
      grpc: { bindAddress: 'localhost:50071' },
      metrics: { port: 9468, bindHost: '0.0.0.0' },
      logLevel: 'info',
    });
  });

  it('takes every setting from the environment', () => {
    const config = loadModdleSidecarConfig({
      FLOWLEDGER_HOST: '127.0.0.1',
      FLOWLEDGER_MODDLE_PORT: '50999',
      FLOWLEDGER_MODDLE_METRICS_PORT: '19468',
      FLOWLEDGER_MODDLE_METRICS_BIND_HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
    });

    expect(config).toEqual({
      grpc: { bindAddress: '127.0.0.1:50999' },
      metrics: { port: 19468, bindHost: '127.0.0.1' },
      logLevel: 'debug',
    });
  });

  it.each([
    ['FLOWLEDGER_MODDLE_METRICS_PORT', 'abc'],
    ['FLOWLEDGER_MODDLE_METRICS_PORT', '0'],
    ['FLOWLEDGER_MODDLE_METRICS_PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses %s=%s by name', (name, value) => {
    expect(() => loadModdleSidecarConfig({ [name]: value })).toThrow(name);
  });
});

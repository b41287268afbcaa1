import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackConfig } from './stack-config.js';

describe('loadStackConfig', () => {
  it('defaults to the stable endpoints outside checks rely on (DESIGN.md §2)', () => {
    const config = loadStackConfig({});
    expect(config.kafka.brokers).toEqual(['localhost:9092']);
    expect(config.neo4j.url).toBe('bolt://localhost:7687');
    expect(config.edge.url).toBe('http://localhost:8080');
    expect(config.grpc.address).toBe('localhost:50051');
    expect(config.schemaRegistry.url).toBe('http://localhost:8081/apis/ccompat/v7');
    expect(config.postgres).toMatchObject({ external: false, username: 'flowledger', database: 'flowledger' });
  });

  it('points a component at an external server through the environment', () => {
    const config = loadStackConfig({
      DATABASE_URL: 'postgres://u:p%40ss@db.internal:6432/prod',
      FLOWLEDGER_KAFKA_BROKERS: 'k1:9092, k2:9092',
      FLOWLEDGER_SCHEMA_REGISTRY_URL: 'https://registry.internal',
    });
    expect(config.postgres).toMatchObject({
      external: true,
      port: 6432,
      username: 'u',
      password: 'p@ss',
      database: 'prod',
    });
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.schemaRegistry).toMatchObject({ url: 'https://registry.internal', external: true });
  });

  it('runs the read side at a lower CPU priority by default, configurable from 0 (none) to 19', () => {
    expect(loadStackConfig({}).readSideNiceness).toBe(10);
    expect(loadStackConfig({ FLOWLEDGER_READ_SIDE_NICE: '0' }).readSideNiceness).toBe(0);
    expect(() => loadStackConfig({ FLOWLEDGER_READ_SIDE_NICE: '20' })).toThrow(/FLOWLEDGER_READ_SIDE_NICE/);
  });

  it('batches the read side by a fetch interval, 0 meaning fetch after every record', () => {
    expect(loadStackConfig({}).projectionFetchIntervalMs).toBe(500);
    expect(loadStackConfig({ FLOWLEDGER_PROJECTION_FETCH_INTERVAL_MS: '0' }).projectionFetchIntervalMs).toBe(0);
    expect(() => loadStackConfig({ FLOWLEDGER_PROJECTION_FETCH_INTERVAL_MS: '-1' })).toThrow(
      /FLOWLEDGER_PROJECTION_FETCH_INTERVAL_MS/,
    );
  });

  it('sweeps every tenant topic every 15 s by default, at least every 10 minutes', () => {
    expect(loadStackConfig({}).projectionSweepIntervalMs).toBe(15_000);
    expect(loadStackConfig({ FLOWLEDGER_PROJECTION_SWEEP_INTERVAL_MS: '100' }).projectionSweepIntervalMs).toBe(100);
    expect(() => loadStackConfig({ FLOWLEDGER_PROJECTION_SWEEP_INTERVAL_MS: '600001' })).toThrow(
      /FLOWLEDGER_PROJECTION_SWEEP_INTERVAL_MS/,
    );
  });

  it('reaches the validator over <var>/run/validator.sock on this machine, else over gRPC only', () => {
    const checkoutVar = join(import.meta.dirname, '..', '..', '..', 'var');
    expect(loadStackConfig({}).validator.socketPath).toBe(join(checkoutVar, 'run', 'validator.sock'));
    expect(loadStackConfig({ FLOWLEDGER_VAR_DIR: '/srv/fl/var' }).validator.socketPath).toBe(
      '/srv/fl/var/run/validator.sock',
    );
    expect(loadStackConfig({ FLOWLEDGER_VALIDATOR_SOCKET: '/run/v.sock' }).validator.socketPath).toBe('/run/v.sock');
    expect(loadStackConfig({ FLOWLEDGER_VALIDATOR_SOCKET: '' }).validator.socketPath).toBeUndefined();
    expect(loadStackConfig({ FLOWLEDGER_HOST: 'stack.internal' }).validator.socketPath).toBeUndefined();
  });

  it('refuses a relative socket path, or one longer than a Unix socket path may be', () => {
    expect(() => loadStackConfig({ FLOWLEDGER_VALIDATOR_SOCKET: 'var/run/v.sock' })).toThrow(
      /FLOWLEDGER_VALIDATOR_SOCKET: an absolute path/,
    );
    expect(() => loadStackConfig({ FLOWLEDGER_VAR_DIR: `/${'v'.repeat(100)}` })).toThrow(
      /FLOWLEDGER_VALIDATOR_SOCKET: .* is longer than a Unix socket path may be \(107 bytes\)/,
    );
  });

  it('names every bad variable in one error', () => {
    const load = () => loadStackConfig({ FLOWLEDGER_EDGE_PORT: 'eighty', FLOWLEDGER_NEO4J_PASSWORD: 'short' });
    expect(load).toThrow(/FLOWLEDGER_EDGE_PORT/);
    expect(load).toThrow(/FLOWLEDGER_NEO4J_PASSWORD/);
  });
});

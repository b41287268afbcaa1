import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { freePort, spawnService, untilHealthy, type ServiceProcess } from '../../../tests/support/service-process.js';
import { MODDLE_SERVICE_NAME, loadDefinitions } from '../proto-definitions.js';

const packages = loadDefinitions();

/** A sidecar process a test started itself, beside (never instead of) the stack's own. */
export interface SidecarProcess {
  /** host:port of its gRPC server. */
  address: string;
  metricsUrl: string;
  /** Everything it has printed so far. */
  output(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node --import tsx moddle-sidecar/src/main.ts` on free gRPC and metrics ports (with
 * `env` on top) and waits until its gRPC health is SERVING; rejects with the tail of its
 * output if it dies or stays unhealthy. Output also goes to var/log/tests/<name>.log.
 */
export async function startSidecarProcess(
  name: string,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<SidecarProcess> {
  const [grpcPort, metricsPort] = [await freePort(), await freePort()];
  const service = spawnSidecar(name, {
    FLOWLEDGER_HOST: '127.0.0.1',
    FLOWLEDGER_MODDLE_PORT: String(grpcPort),
    FLOWLEDGER_MODDLE_METRICS_PORT: String(metricsPort),
    FLOWLEDGER_MODDLE_METRICS_BIND_HOST: '127.0.0.1',
    ...env,
  });
  const address = `127.0.0.1:${grpcPort}`;
  await untilHealthy(service, `moddle sidecar "${name}" on ${address}`, () => isServing(address), timeoutMs);
  return {
    address,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    output: service.output,
    exited: service.exited,
    stop: service.stop,
  };
}

/** Spawns the sidecar without waiting for health (for start-up failures); output kept and logged. */
export function spawnSidecar(name: string, env: Record<string, string>): ServiceProcess {
  return spawnService(name, join('moddle-sidecar', 'src', 'main.ts'), env);
}

/** grpc.health.v1 Check of the sidecar's service; false on any failure. */
async function isServing(address: string): Promise<boolean> {
  const health = new packages.grpc.health.v1.Health(
    address,
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client & {
    Check(r: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, v?: { status: string }) => void): void;
  };
  try {
    return await new Promise<boolean>((resolve) =>
      health.Check({ service: MODDLE_SERVICE_NAME }, { deadline: Date.now() + 1000 }, (error, response) =>
        resolve(!error && response?.status === 'SERVING'),
      ),
    );
  } finally {
    health.close();
  }
}

export { freePort };

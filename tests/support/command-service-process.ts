import { join } from 'node:path';
import { isGrpcServing } from '../../cli/src/stack/grpc-health-probe.js';
import { freePort, spawnService, untilHealthy, type ServiceProcess } from './service-process.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const protoDir = join(repoRoot, 'schemas', 'proto');

/** A command-service process a test started itself, beside the stack's own. */
export interface CommandServiceProcess extends Pick<ServiceProcess, 'child' | 'exited' | 'stop'> {
  /** host:port of its gRPC server, for a ModelingClient `address`. */
  address: string;
  /** Everything it has printed so far (pino JSON lines and Nest's start-up lines). */
  log(): string;
}

/**
 * Starts the command service (src/main.ts) on free gRPC and metrics ports, with `env` on top
 * of this process's environment, and waits until its gRPC health is SERVING (or it dies: then
 * rejects with the tail of its output). Output goes to var/log/tests/<name>.log.
 */
export async function startCommandService(
  name: string,
  env: Record<string, string> = {},
  timeoutMs = 90_000,
): Promise<CommandServiceProcess> {
  const [grpcPort, metricsPort] = [await freePort(), await freePort()];
  const service = spawnService(
    name,
    join('command-service', 'src', 'main.ts'),
    { FLOWLEDGER_GRPC_PORT: String(grpcPort), FLOWLEDGER_COMMAND_METRICS_PORT: String(metricsPort), ...env },
    join(repoRoot, 'command-service'),
  );
  const address = `127.0.0.1:${grpcPort}`;
  await untilHealthy(
    service,
    `command-service "${name}" on ${address}`,
    () => isGrpcServing(address, protoDir, { timeoutMs: 1000 }),
    timeoutMs,
  );
  return { address, child: service.child, log: service.output, exited: service.exited, stop: service.stop };
}

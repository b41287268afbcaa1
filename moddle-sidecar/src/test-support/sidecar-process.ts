import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { MODDLE_SERVICE_NAME, loadDefinitions } from '../proto-definitions.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
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
  const child = spawnSidecar(name, {
    FLOWLEDGER_HOST: '127.0.0.1',
    FLOWLEDGER_MODDLE_PORT: String(grpcPort),
    FLOWLEDGER_MODDLE_METRICS_PORT: String(metricsPort),
    FLOWLEDGER_MODDLE_METRICS_BIND_HOST: '127.0.0.1',
    ...env,
  });
  const address = `127.0.0.1:${grpcPort}`;
  const until = Date.now() + timeoutMs;
  while (!(await isServing(address))) {
    if (child.gone() || Date.now() > until) {
      child.process.kill('SIGKILL');
      throw new Error(`moddle sidecar "${name}" did not become healthy on ${address}:\n${child.output().slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    address,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    output: child.output,
    exited: child.exited,
    async stop(graceMs = 10_000) {
      if (child.gone()) return;
      child.process.kill('SIGTERM');
      const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
      await child.exited;
      clearTimeout(timer);
    },
  };
}

/** Spawns the sidecar without waiting for health (for start-up failures); output kept and logged. */
export function spawnSidecar(name: string, env: Record<string, string>) {
  const logDir = join(repoRoot, 'var', 'log', 'tests');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join('moddle-sidecar', 'src', 'main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    log.write(d);
    output += d.toString();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      gone = true;
      log.end();
      resolve({ code, signal });
    }),
  );
  return { process: child, output: () => output, exited, gone: () => gone };
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

/** A TCP port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

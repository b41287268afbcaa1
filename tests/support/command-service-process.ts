import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { isGrpcServing } from '../../cli/src/stack/grpc-health-probe.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const protoDir = join(repoRoot, 'schemas', 'proto');

/** A command-service process a test started itself, beside the stack's own. */
export interface CommandServiceProcess {
  /** host:port of its gRPC server, for a ModelingClient `address`. */
  address: string;
  child: ChildProcess;
  /** Everything it has printed so far (pino JSON lines and Nest's start-up lines). */
  log(): string;
  /** Resolves with the exit signal (e.g. 'SIGKILL') or code once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node --import tsx src/main.ts` in command-service/ on free gRPC and metrics ports,
 * with `env` on top of this process's environment, and waits until its gRPC health is SERVING
 * (or it dies: then rejects with the tail of its output). Output goes to var/log/tests/<name>.log.
 */
export async function startCommandService(
  name: string,
  env: Record<string, string> = {},
  timeoutMs = 90_000,
): Promise<CommandServiceProcess> {
  const [grpcPort, metricsPort] = [await freePort(), await freePort()];
  const logDir = join(repoRoot, 'var', 'log', 'tests');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(repoRoot, 'command-service'),
    env: {
      ...process.env,
      FLOWLEDGER_GRPC_PORT: String(grpcPort),
      FLOWLEDGER_COMMAND_METRICS_PORT: String(metricsPort),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keepTail = (d: Buffer) => {
    log.write(d);
    output += d.toString();
  };
  child.stdout!.on('data', keepTail);
  child.stderr!.on('data', keepTail);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      log.end();
      resolve({ code, signal });
    }),
  );
  let gone = false;
  void exited.then(() => (gone = true));

  const address = `127.0.0.1:${grpcPort}`;
  const until = Date.now() + timeoutMs;
  while (!(await isGrpcServing(address, protoDir, { timeoutMs: 1000 }))) {
    if (gone || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`command-service "${name}" did not become healthy on ${address}:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    address,
    child,
    log: () => output,
    exited,
    async stop(graceMs = 10_000) {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A TCP port nothing listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadStackConfig } from '@flowledger/config';
import { waitUntil } from './proposals.js';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

/**
 * One of the stack's servers, stopped and started the way an operator would: a signal to the
 * process group the stack runner started (var/run/<name>.pid), `flowledger stack up` to restart.
 */
export interface StackServer {
  stop(): Promise<void>;
  /** `flowledger stack up`: idempotent, starts what is down and waits until it is healthy. */
  start(): Promise<void>;
  /** Whether its port accepts a TCP connection. */
  accepts(): Promise<boolean>;
}

function stackServer(name: string, address: string, signal: NodeJS.Signals): StackServer {
  const [host, port] = address.split(':') as [string, string];
  const server: StackServer = {
    async stop() {
      const { pid } = JSON.parse(readFileSync(join(repoRoot, 'var', 'run', `${name}.pid`), 'utf8')) as { pid: number };
      try {
        process.kill(-pid, signal);
      } catch {
        process.kill(pid, signal);
      }
      await waitUntil(`${name} is gone`, async () => !isAlive(pid) && !(await server.accepts()), 60_000);
    },
    async start() {
      await run(process.execPath, ['cli/bin/flowledger.js', 'stack', 'up'], { cwd: repoRoot, timeout: 180_000 });
    },
    accepts() {
      return new Promise((resolve) => {
        const socket = createConnection({ host, port: Number(port) });
        socket.setTimeout(1000);
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
        socket.once('timeout', () => (socket.destroy(), resolve(false)));
      });
    },
  };
  return server;
}

const config = loadStackConfig();
/** SIGTERM: the broker shuts down cleanly. */
export const kafkaBroker = stackServer('kafka', config.kafka.brokers[0]!, 'SIGTERM');
/** SIGINT: Postgres's fast shutdown — clients are disconnected and open transactions aborted (SIGTERM would wait for them). */
export const postgresServer = stackServer('postgres', new URL(config.postgres.url).host, 'SIGINT');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

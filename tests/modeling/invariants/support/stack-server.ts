import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadStackConfig } from '@flowledger/config';
import { waitUntil } from './proposals.js';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const [host, port] = loadStackConfig().kafka.brokers[0]!.split(':') as [string, string];

/**
 * The stack's Kafka broker, stopped and started the way an operator would: SIGTERM to the
 * process group the stack runner started (var/run/kafka.pid), `flowledger stack up` to restart.
 */
export const kafkaBroker = {
  async stop(): Promise<void> {
    const { pid } = JSON.parse(readFileSync(join(repoRoot, 'var', 'run', 'kafka.pid'), 'utf8')) as { pid: number };
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      process.kill(pid, 'SIGTERM');
    }
    await waitUntil('the broker is gone', async () => !isAlive(pid) && !(await kafkaBroker.accepts()), 60_000);
  },

  /** `flowledger stack up`: idempotent, starts what is down and waits until it is healthy. */
  async start(): Promise<void> {
    await run(process.execPath, ['cli/bin/flowledger.js', 'stack', 'up'], { cwd: repoRoot, timeout: 180_000 });
  },

  /** Whether the broker's port accepts a TCP connection. */
  accepts(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = createConnection({ host, port: Number(port) });
      socket.setTimeout(1000);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => (socket.destroy(), resolve(false)));
    });
  },
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

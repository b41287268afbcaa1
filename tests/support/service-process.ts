import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

/** One of our Node services, started by a test itself beside (never instead of) the stack's own. */
export interface ServiceProcess {
  child: ChildProcess;
  /** Everything it has printed so far. */
  output(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  gone(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `node --import tsx <entry>` (a path from the checkout's root, run in `cwd`, default the
 * root) with `env` on top of this process's environment. Output is kept and also written to
 * var/log/tests/<name>.log.
 */
export function spawnService(name: string, entry: string, env: Record<string, string>, cwd = repoRoot): ServiceProcess {
  const logDir = join(repoRoot, 'var', 'log', 'tests');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, entry)], {
    cwd,
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
  return {
    child,
    output: () => output,
    exited,
    gone: () => gone,
    async stop(graceMs = 10_000) {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with how the process ended (a crash test's worker killing itself); rejects with its output's tail after `ms`. */
export async function exitWithin(
  service: ServiceProcess,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the process did not end within ${ms} ms:\n${service.output().slice(-3000)}`)),
      ms,
    );
  });
  try {
    return await Promise.race([service.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `healthy()` answers true; if the process dies or time runs out, kills it and rejects with its output's tail. */
export async function untilHealthy(
  service: ServiceProcess,
  what: string,
  healthy: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await healthy())) {
    if (service.gone() || Date.now() > until) {
      service.child.kill('SIGKILL');
      throw new Error(`${what} did not become healthy:\n${service.output().slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
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

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../tests/support/service-process.js';
import { XsdValidatorSocketClient } from './xsd-validator.socket-client.js';
import { XsdValidatorError } from './xsd-validator.js';

// What a call over the socket does when validator-py is not there: nobody serves the path, a killed
// validator's file is left behind, the validator hangs (SIGSTOP), stops, and starts again. The
// validator here is a real validator-py of this checkout on a socket of its own, never the stack's.
const root = join(import.meta.dirname, '../../../..');
const protoDir = join(root, 'schemas/proto');
const python = join(root, 'var/venv/validator/bin/python');
const valid = readFileSync(join(root, 'tests/fixtures/miwg-reference/C.9.1.bpmn'), 'utf8');
// Short: a Unix socket path has at most 107 bytes.
const dir = mkdtempSync('/tmp/fl-xsd-');
const clients: XsdValidatorSocketClient[] = [];
afterAll(() => {
  clients.forEach((c) => c.close());
  rmSync(dir, { recursive: true, force: true });
});

const client = (path: string, timeoutMs = 5_000) => {
  const created = new XsdValidatorSocketClient({ path, protoDir, timeoutMs, maxConnections: 2 });
  clients.push(created);
  return created;
};

/** The call's rejection and how long it took to come. */
async function failure(call: Promise<unknown>): Promise<{ error: XsdValidatorError; ms: number }> {
  const started = Date.now();
  const error = await call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(XsdValidatorError);
  return { error: error as XsdValidatorError, ms: Date.now() - started };
}

describe('the socket client when the validator is not there', () => {
  it('rejects at once, UNAVAILABLE and naming the path, when nobody serves it', async () => {
    const path = join(dir, 'nobody.sock');

    const { error, ms } = await failure(client(path).validate(valid));

    expect(error).toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    expect(error.message).toContain(`validator socket ${path}`);
    expect(error.message).toContain('is the validator serving it?');
    expect(ms).toBeLessThan(1_000);
  });

  it("rejects at once when only a killed validator's socket file is left", async () => {
    // given: a socket file bound and never served, as a kill -9 leaves it
    const path = join(dir, 'stale.sock');
    const bound = spawnSync(python, [
      '-c',
      `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(path)})`,
    ]);
    expect(bound.status).toBe(0);
    expect(existsSync(path)).toBe(true);

    // when
    const { error, ms } = await failure(client(path).validate(valid));

    // then
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(ms).toBeLessThan(1_000);
  });

  it('meets its deadline when the validator hangs, fails fast once it is stopped, and recovers when it is back', async () => {
    const path = join(dir, 'own.sock');
    const xsd = client(path, 800);
    let validator = await startValidator(path);
    try {
      // given: a kept-alive connection that has served a call
      expect((await xsd.validate(valid)).valid).toBe(true);

      // when the validator hangs: the call ends at its deadline, not later
      validator.kill('SIGSTOP');
      await allThreadsStopped(validator.pid!);
      const hung = await failure(xsd.validate(valid));
      expect(hung.error.code).toBe('DEADLINE_EXCEEDED');
      expect(hung.ms).toBeGreaterThanOrEqual(750);
      expect(hung.ms).toBeLessThan(2_000);

      // and when it goes on: the next call gets a fresh connection and its verdict
      validator.kill('SIGCONT');
      expect((await xsd.validate(valid)).valid).toBe(true);

      // when it is stopped: its socket file is gone and a call fails at once
      await stopValidator(validator);
      expect(existsSync(path)).toBe(false);
      const stopped = await failure(xsd.validate(valid));
      expect(stopped.error.code).toBe('UNAVAILABLE');
      expect(stopped.ms).toBeLessThan(1_000);

      // then, started again on the same path, the same client is served
      validator = await startValidator(path);
      expect((await xsd.validate(valid)).valid).toBe(true);
    } finally {
      validator.kill('SIGCONT');
      await stopValidator(validator);
    }
  });

  it('loses no call to a restart that closed its kept-alive connection before the client noticed', async () => {
    // given: a connection that has served a call, idle in the pool
    const path = join(dir, 'restart.sock');
    const xsd = client(path);
    const first = await startValidator(path);
    let second: number | undefined;
    try {
      expect((await xsd.validate(valid)).valid).toBe(true);
      const ports = [await freePort(), await freePort()];

      // when: the validator restarts while this event loop is blocked (spawnSync), so the pool
      // still holds the connection the old process closed
      second = restartBlocking(first.pid!, path, ports);

      // then: the request the closed connection refused (EPIPE) goes again on a fresh one
      expect((await xsd.validate(valid)).valid).toBe(true);
    } finally {
      await stopValidator(first);
      if (second !== undefined) process.kill(second, 'SIGTERM');
    }
  });
});

/**
 * Stops the validator `pid` (SIGTERM; its socket file goes) and starts another on `socketPath`
 * without returning to the event loop; returns the new one's pid once it listens.
 */
function restartBlocking(pid: number, socketPath: string, ports: number[]): number {
  const script = `
import os, signal, socket, subprocess, sys, time
path, log = sys.argv[1], open(sys.argv[2], "ab")
os.kill(${pid}, signal.SIGTERM)
while os.path.exists(path):
    time.sleep(0.05)
env = {**os.environ, "FLOWLEDGER_VALIDATOR_SOCKET": path, "PYTHONUNBUFFERED": "1",
       "FLOWLEDGER_VALIDATOR_PORT": sys.argv[3], "FLOWLEDGER_VALIDATOR_BIND_HOST": "127.0.0.1",
       "FLOWLEDGER_VALIDATOR_METRICS_PORT": sys.argv[4], "FLOWLEDGER_VALIDATOR_METRICS_BIND_HOST": "127.0.0.1"}
child = subprocess.Popen([sys.executable, "-m", "flowledger_validator"], env=env, stdout=log, stderr=log, start_new_session=True)
for _ in range(600):
    probe = socket.socket(socket.AF_UNIX)
    try:
        probe.connect(path)
        print(child.pid)
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
    finally:
        probe.close()
child.kill()
sys.exit("the new validator did not listen within 30 s")
`;
  const run = spawnSync(python, ['-c', script, socketPath, logPath(), ...ports.map(String)], {
    cwd: join(root, 'validator-py'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`restart failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

/** Signals arrive asynchronously: waits until every thread of `pid` is stopped (state T). */
async function allThreadsStopped(pid: number): Promise<void> {
  const stateOf = (task: string) =>
    readFileSync(join('/proc', String(pid), 'task', task, 'stat'), 'utf8').split(') ')[1]![0];
  for (const until = Date.now() + 5_000; Date.now() < until;) {
    if (readdirSync(join('/proc', String(pid), 'task')).every((task) => stateOf(task) === 'T')) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`validator ${pid} did not stop within 5 s of SIGSTOP`);
}

function logPath(): string {
  const logDir = join(root, 'var/log/tests');
  mkdirSync(logDir, { recursive: true });
  return join(logDir, 'validator-socket-failures.log');
}

/** This checkout's validator-py on free ports and `socketPath`; resolves once it answers on the socket. */
async function startValidator(socketPath: string): Promise<ChildProcess> {
  const log = createWriteStream(logPath(), { flags: 'a' });
  const child = spawn(python, ['-m', 'flowledger_validator'], {
    cwd: join(root, 'validator-py'),
    env: {
      ...process.env,
      FLOWLEDGER_VALIDATOR_PORT: String(await freePort()),
      FLOWLEDGER_VALIDATOR_BIND_HOST: '127.0.0.1',
      FLOWLEDGER_VALIDATOR_METRICS_PORT: String(await freePort()),
      FLOWLEDGER_VALIDATOR_METRICS_BIND_HOST: '127.0.0.1',
      FLOWLEDGER_VALIDATOR_SOCKET: socketPath,
      PYTHONUNBUFFERED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const probe = new XsdValidatorSocketClient({ path: socketPath, protoDir, timeoutMs: 2_000 });
  try {
    for (const until = Date.now() + 30_000; Date.now() < until;) {
      if (child.exitCode !== null) throw new Error(`validator-py exited with ${child.exitCode}; see ${log.path}`);
      const answered = await probe.validate(valid).then(
        () => true,
        () => false,
      );
      if (answered) return child;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    probe.close();
  }
  child.kill('SIGKILL');
  throw new Error(`validator-py did not answer on ${socketPath} within 30 s; see ${log.path}`);
}

async function stopValidator(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

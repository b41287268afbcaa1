import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchSpec } from './component.js';

/** A process this checkout started, as recorded in var/run/<name>.pid. */
interface PidRecord {
  pid: number;
  cmd: string;
  startedAt: string;
}

/**
 * Starts servers as detached process groups and remembers them in pid files, so `stack down`
 * stops exactly what `stack up` started (and nothing it merely found running).
 */
export class Supervisor {
  constructor(private readonly varDir: string) {
    mkdirSync(this.runDir, { recursive: true });
    mkdirSync(this.logDir, { recursive: true });
  }

  get runDir(): string {
    return join(this.varDir, 'run');
  }

  get logDir(): string {
    return join(this.varDir, 'log');
  }

  logFile(name: string): string {
    return join(this.logDir, `${name}.log`);
  }

  start(name: string, spec: LaunchSpec): number {
    const fd = openSync(this.logFile(name), 'a');
    writeFileSync(fd, `\n--- ${new Date().toISOString()} starting: ${spec.cmd} ${spec.args.join(' ')}\n`);
    // `nice` execs the command in place (same pid); its threads inherit the priority.
    const [cmd, args] = spec.niceness
      ? ['nice', ['-n', String(spec.niceness), spec.cmd, ...spec.args]]
      : [spec.cmd, spec.args];
    const child = spawn(cmd, args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`${name}: could not spawn ${spec.cmd}`);
    child.unref();
    if (spec.niceness) lowerAutogroupPriority(child.pid, spec.niceness);
    const record: PidRecord = { pid: child.pid, cmd: spec.cmd, startedAt: new Date().toISOString() };
    writeFileSync(this.pidFile(name), JSON.stringify(record));
    return child.pid;
  }

  /** The pid of our own still-running process for this component, if any. */
  runningPid(name: string): number | undefined {
    const record = this.readRecord(name);
    if (!record) return undefined;
    if (!isAlive(record.pid)) {
      rmSync(this.pidFile(name), { force: true });
      return undefined;
    }
    return record.pid;
  }

  /** Stops the process group we started; SIGKILL after the grace period. Returns false if nothing was ours. */
  async stop(name: string, signal: NodeJS.Signals, graceSeconds = 20): Promise<boolean> {
    const pid = this.runningPid(name);
    if (pid === undefined) return false;
    signalGroup(pid, signal);
    const deadline = Date.now() + graceSeconds * 1000;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
    rmSync(this.pidFile(name), { force: true });
    return true;
  }

  /** The last lines of a component's log, for reporting a failed start. */
  logTail(name: string, lines = 25): string {
    const file = this.logFile(name);
    if (!existsSync(file)) return '(no log)';
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  private pidFile(name: string): string {
    return join(this.runDir, `${name}.pid`);
  }

  private readRecord(name: string): PidRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.pidFile(name), 'utf8')) as PidRecord;
    } catch {
      return undefined;
    }
  }
}

/**
 * A detached child starts a new session, and where the kernel groups tasks by session (Linux
 * autogroup, on by default in most distributions) the scheduler shares the CPU between sessions
 * first and looks at a thread's nice value only within its session: `nice` alone then changes
 * nothing between two services. The session's own priority is set through /proc. By the time
 * spawn() returns the child has called setsid() and exec'd, so its session exists. Lowering a
 * priority needs no privilege; without autogroup the file is absent and `nice` already works.
 */
function lowerAutogroupPriority(pid: number, niceness: number): void {
  const file = `/proc/${pid}/autogroup`;
  if (!existsSync(file)) return;
  try {
    writeFileSync(file, String(niceness));
  } catch {
    // The process already exited (its start will be reported as failed) or /proc is read-only.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it is not running. But a process whose main thread has exited
  // while others are still tearing down shows its main thread as a zombie too, and it still holds
  // its files and listening sockets until the last thread is done: it is running until all are.
  if (!existsSync('/proc/self/task')) return true; // no /proc (not Linux): kill(0) is all we know
  try {
    return readdirSync(`/proc/${pid}/task`).some((task) => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8'));
      } catch {
        return false; // that thread is gone
      }
    });
  } catch {
    return false; // the process is gone
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

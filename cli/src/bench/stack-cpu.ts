import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * Where a benchmark's CPU went, per stack component: read from /proc (Linux) before and after a
 * run. A component is the process `stack up` started (var/run/<name>.pid), every live process
 * below it, and the children it has reaped (Postgres backends that ended); the benchmarking
 * process itself is `bench` (for `bench rebuild`, the rebuild). What the machine spent beyond
 * them is `other`. With every core counted, the sum bounds a run from below: a run cannot take
 * less than its CPU seconds divided by the cores.
 */

/** One process as /proc/<pid>/stat shows it; CPU in clock ticks (USER_HZ, 100 per second on Linux). */
export interface ProcessTicks {
  pid: number;
  ppid: number;
  /** utime + stime: what the process (all its threads) used itself. */
  ticks: number;
  /** cutime + cstime: what its children used before it reaped them. */
  reapedChildTicks: number;
}

export interface CpuSample {
  /** CPU seconds so far per component. */
  components: Map<string, number>;
  /** Busy CPU seconds of the whole machine so far (/proc/stat: all but idle and iowait). */
  machineBusy: number;
  atMs: number;
}

export interface CpuWindow {
  wallSeconds: number;
  cores: number;
  machineBusySeconds: number;
  /** CPU seconds per component in the window, largest first; `other` last. */
  components: Array<{ component: string; seconds: number }>;
}

const TICKS_PER_SECOND = 100;

/** Each root's CPU ticks: its own, its live descendants', and what they all reaped (pure). */
export function attributeTicks(processes: ProcessTicks[], roots: Map<string, number>): Map<string, number> {
  const children = new Map<number, ProcessTicks[]>();
  const byPid = new Map<number, ProcessTicks>();
  for (const p of processes) {
    byPid.set(p.pid, p);
    const siblings = children.get(p.ppid) ?? [];
    siblings.push(p);
    children.set(p.ppid, siblings);
  }
  const totals = new Map<string, number>();
  for (const [name, pid] of roots) {
    const root = byPid.get(pid);
    if (!root) continue; // not running: nothing to count
    let sum = 0;
    const stack = [root];
    for (let p = stack.pop(); p; p = stack.pop()) {
      sum += p.ticks + p.reapedChildTicks;
      stack.push(...(children.get(p.pid) ?? []));
    }
    totals.set(name, sum);
  }
  return totals;
}

/** The CPU used between two samples, per component, with the machine's rest as `other` (pure). */
export function cpuBetween(before: CpuSample, after: CpuSample, cores: number): CpuWindow {
  const components: CpuWindow['components'] = [];
  for (const [component, seconds] of after.components) {
    // A component restarted in between starts again from zero: count what the new one used.
    const start = before.components.get(component) ?? 0;
    components.push({ component, seconds: seconds >= start ? seconds - start : seconds });
  }
  components.sort((a, b) => b.seconds - a.seconds);
  const machineBusySeconds = after.machineBusy - before.machineBusy;
  const accounted = components.reduce((sum, c) => sum + c.seconds, 0);
  components.push({ component: 'other', seconds: Math.max(0, machineBusySeconds - accounted) });
  return { wallSeconds: (after.atMs - before.atMs) / 1000, cores, machineBusySeconds, components };
}

/** Reads every component's CPU so far; undefined where /proc is not there (not Linux). */
export function sampleStackCpu(varDir: string): CpuSample | undefined {
  let processes: ProcessTicks[];
  let machineBusy: number;
  try {
    machineBusy = readMachineBusy();
    processes = readProcesses();
  } catch {
    return undefined;
  }
  const roots = new Map([...componentPids(varDir), ['bench', process.pid] as const]);
  const ticks = attributeTicks(processes, roots);
  const components = new Map([...ticks].map(([name, t]) => [name, t / TICKS_PER_SECOND]));
  return { components, machineBusy, atMs: performance.now() };
}

/** Starts a window now; the function it returns ends it (undefined where /proc is not there). */
export function startCpuWindow(varDir: string): () => CpuWindow | undefined {
  const before = sampleStackCpu(varDir);
  return () => {
    const after = before && sampleStackCpu(varDir);
    return after && cpuBetween(before, after, cpus().length);
  };
}

/** The pid of each component `stack up` started, from var/run/<name>.pid. */
function componentPids(varDir: string): Map<string, number> {
  const pids = new Map<string, number>();
  const runDir = `${varDir}/run`;
  let files: string[] = [];
  try {
    files = readdirSync(runDir).filter((f) => f.endsWith('.pid'));
  } catch {
    return pids;
  }
  for (const file of files) {
    try {
      const { pid } = JSON.parse(readFileSync(`${runDir}/${file}`, 'utf8')) as { pid: number };
      pids.set(file.slice(0, -'.pid'.length), pid);
    } catch {
      // a pid file being rewritten: that component is left out of this sample
    }
  }
  return pids;
}

function readProcesses(): ProcessTicks[] {
  const processes: ProcessTicks[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const parsed = parseStat(stat);
    if (parsed) processes.push(parsed);
  }
  return processes;
}

/** CPU one process (all its threads) has used so far, in ms; throws when it is gone. */
export function processCpuMs(pid: number): number {
  const parsed = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (!parsed) throw new Error(`/proc/${pid}/stat: not in the expected format`);
  return (parsed.ticks * 1_000) / TICKS_PER_SECOND;
}

/** One /proc/<pid>/stat line; the command name may hold spaces and parentheses, so fields start after the last ')'. */
export function parseStat(stat: string): ProcessTicks | undefined {
  const pid = Number(stat.slice(0, stat.indexOf(' ')));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
  const [ppid, utime, stime, cutime, cstime] = [1, 11, 12, 13, 14].map((i) => Number(fields[i]));
  if (![pid, ppid, utime, stime, cutime, cstime].every(Number.isFinite)) return undefined;
  return { pid, ppid: ppid!, ticks: utime! + stime!, reapedChildTicks: cutime! + cstime! };
}

/** Busy seconds of all cores: user nice system idle iowait irq softirq steal → all but idle and iowait. */
function readMachineBusy(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / TICKS_PER_SECOND;
}

/** The least wall time the window's CPU work could have taken on its cores, every core busy throughout. */
export function coreBoundSeconds(w: CpuWindow): number {
  return w.machineBusySeconds / w.cores;
}

/** A window as one line: the largest users, the total, and the lower bound the cores put on the run. */
export function describeCpuWindow(w: CpuWindow, limit = 6): string {
  const shown = w.components.filter((c) => c.component !== 'other' && c.seconds >= 0.005).slice(0, limit);
  const rest = w.components.filter((c) => !shown.includes(c)).reduce((sum, c) => sum + c.seconds, 0);
  const parts = [...shown.map((c) => `${c.component} ${c.seconds.toFixed(2)}`), `rest ${rest.toFixed(2)}`];
  return `${parts.join(', ')} = ${w.machineBusySeconds.toFixed(2)} CPU-s in ${w.wallSeconds.toFixed(2)} s (≥ ${coreBoundSeconds(w).toFixed(2)} s on ${w.cores} cores)`;
}

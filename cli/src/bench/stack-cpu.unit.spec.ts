import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  attributeTicks,
  cpuBetween,
  describeCpuWindow,
  parseStat,
  processCpuMs,
  sampleStackCpu,
  type CpuSample,
  type ProcessTicks,
} from './stack-cpu.js';

const proc = (pid: number, ppid: number, ticks: number, reapedChildTicks = 0): ProcessTicks => ({
  pid,
  ppid,
  ticks,
  reapedChildTicks,
});

describe('stack CPU accounting', () => {
  it('counts a component with its live descendants and what they reaped, and nothing of other trees', () => {
    const processes = [
      proc(1, 0, 999),
      proc(10, 1, 50, 300), // postmaster: 300 ticks of backends it reaped
      proc(11, 10, 7), // a live backend
      proc(12, 11, 3, 4), // below it
      proc(20, 1, 40),
      proc(21, 1, 5), // not below any root
    ];
    const totals = attributeTicks(
      processes,
      new Map([
        ['postgres', 10],
        ['kafka', 20],
        ['gone', 99],
      ]),
    );
    expect(totals).toEqual(
      new Map([
        ['postgres', 50 + 300 + 7 + 3 + 4],
        ['kafka', 40],
      ]),
    );
  });

  it('reads the fields after the last parenthesis, so a command name with spaces and parentheses is harmless', () => {
    const stat = '4242 (node (worker) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 123 45 6 7 20 0 11 0 1 2 3';
    expect(parseStat(stat)).toEqual({ pid: 4242, ppid: 17, ticks: 168, reapedChildTicks: 13 });
    expect(parseStat('garbage')).toBeUndefined();
  });

  it('gives each component its use in the window, a restarted one what its successor used, and the rest of the machine as other', () => {
    const before: CpuSample = {
      components: new Map([
        ['kafka', 10],
        ['bench', 1],
        ['projectors', 50],
      ]),
      machineBusy: 100,
      atMs: 1_000,
    };
    const after: CpuSample = {
      components: new Map([
        ['kafka', 12.5],
        ['bench', 4],
        ['projectors', 0.5], // restarted meanwhile
      ]),
      machineBusy: 107,
      atMs: 5_000,
    };
    const window = cpuBetween(before, after, 2);
    expect(window).toEqual({
      wallSeconds: 4,
      cores: 2,
      machineBusySeconds: 7,
      components: [
        { component: 'bench', seconds: 3 },
        { component: 'kafka', seconds: 2.5 },
        { component: 'projectors', seconds: 0.5 },
        { component: 'other', seconds: 1 },
      ],
    });
    expect(describeCpuWindow(window, 2)).toBe(
      'bench 3.00, kafka 2.50, rest 1.50 = 7.00 CPU-s in 4.00 s (≥ 3.50 s on 2 cores)',
    );
  });

  it("samples real processes: a busy child counts under its parent's name while it runs and after it was reaped", async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'stack-cpu-'));
    mkdirSync(join(varDir, 'run'));
    // The parent spins up a child that keeps a core busy for 1.5 s, reaps it, says so, and lingers.
    const script = `
      const child = require('node:child_process').spawn(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 1500) {}']);
      child.on('exit', () => { process.stdout.write('reaped'); setTimeout(() => {}, 5000); });`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    let reaped = false;
    const reapedChild = new Promise((resolve) => parent.stdout.once('data', resolve)).then(() => (reaped = true));
    try {
      writeFileSync(join(varDir, 'run', 'busy.pid'), JSON.stringify({ pid: parent.pid }));
      const start = sampleStackCpu(varDir)!;
      expect(start.components.has('busy')).toBe(true);
      expect(start.components.has('bench')).toBe(true);
      const busySince = (sample: CpuSample) =>
        cpuBetween(start, sample, 2).components.find((c) => c.component === 'busy')!.seconds;
      // While the child spins, its time shows under the parent's name: watched until a good part
      // of a core-second is there (how soon depends on the machine's load), before the reaping.
      let whileRunning = 0;
      while (!reaped && whileRunning <= 0.2) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const sample = sampleStackCpu(varDir)!;
        if (!reaped) whileRunning = busySince(sample);
      }
      expect(reaped).toBe(false);
      expect(whileRunning).toBeGreaterThan(0.2);
      await reapedChild;
      const after = sampleStackCpu(varDir)!;
      const afterReaped = busySince(after);
      const reapedWindow = cpuBetween(start, after, 2);
      // Once the child is gone, all of its time is in what the parent reaped (the parent alone
      // spends well under 0.1 s starting).
      expect(afterReaped).toBeGreaterThanOrEqual(Math.max(whileRunning, 0.3));
      expect(afterReaped).toBeLessThanOrEqual(reapedWindow.wallSeconds + 0.05);
      expect(reapedWindow.machineBusySeconds).toBeGreaterThanOrEqual(afterReaped - 0.05);
    } finally {
      parent.kill();
    }
  });

  it("reads one process's CPU so far as /proc has it, in ms, and fails for a process that is gone", () => {
    // Node's account (getrusage, in µs) is read around each /proc read: the kernel derives both
    // from one clock, and /proc truncates utime and stime to 10-ms ticks each (< 20 ms in all). So
    // /proc's difference lies between the inner and the outer account, give or take those 20 ms,
    // however loaded the machine is.
    const outerStart = process.cpuUsage();
    const before = processCpuMs(process.pid);
    const innerStart = process.cpuUsage();
    const started = Date.now();
    while (Date.now() - started < 300) {
      // keep this core busy so the kernel counts ticks
    }
    const inner = process.cpuUsage(innerStart);
    const counted = processCpuMs(process.pid) - before;
    const outer = process.cpuUsage(outerStart);
    const ms = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1_000;
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeGreaterThanOrEqual(ms(inner) - 20);
    expect(counted).toBeLessThanOrEqual(ms(outer) + 20);
    expect(() => processCpuMs(2 ** 22 + 1)).toThrow(/ENOENT/);
  });
});

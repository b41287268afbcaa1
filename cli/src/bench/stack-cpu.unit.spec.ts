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
    const reapedChild = new Promise((resolve) => parent.stdout.once('data', resolve));
    try {
      writeFileSync(join(varDir, 'run', 'busy.pid'), JSON.stringify({ pid: parent.pid }));
      const start = sampleStackCpu(varDir)!;
      expect(start.components.has('busy')).toBe(true);
      expect(start.components.has('bench')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const running = cpuBetween(start, sampleStackCpu(varDir)!, 2);
      const whileRunning = running.components.find((c) => c.component === 'busy')!.seconds;
      await reapedChild;
      const reaped = cpuBetween(start, sampleStackCpu(varDir)!, 2);
      const afterReaped = reaped.components.find((c) => c.component === 'busy')!.seconds;
      // Spinning takes up to a core (less while other tests run): a good part of the first second
      // (the parent alone spends well under 0.1 s starting), and once the child is gone, all of
      // its time, now in what the parent reaped.
      expect(whileRunning).toBeGreaterThan(0.2);
      expect(afterReaped).toBeGreaterThan(Math.max(whileRunning, 0.3));
      expect(afterReaped).toBeLessThanOrEqual(reaped.wallSeconds + 0.05);
      expect(reaped.machineBusySeconds).toBeGreaterThanOrEqual(afterReaped - 0.05);
    } finally {
      parent.kill();
    }
  });

  it("reads one process's CPU so far as /proc has it, in ms, and fails for a process that is gone", () => {
    const before = processCpuMs(process.pid);
    const own = process.cpuUsage();
    const started = Date.now();
    while (Date.now() - started < 300) {
      // keep this core busy so the kernel counts ticks
    }
    const spent = process.cpuUsage(own);
    const counted = processCpuMs(process.pid) - before;
    // /proc counts whole 10-ms ticks; Node's own account of the same spin is finer.
    expect(counted).toBeGreaterThan(0);
    expect(Math.abs(counted - (spent.user + spent.system) / 1_000)).toBeLessThan(30);
    expect(() => processCpuMs(2 ** 22 + 1)).toThrow(/ENOENT/);
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import type { Component } from './component.js';
import { StackRunner } from './stack-runner.js';
import { canConnect, freePort, tcpServerComponent } from './test-support/tcp-server-component.js';

// Components here are real child processes (see test-support/tcp-server-component.ts).
const dirs: string[] = [];
const listeners: Server[] = [];
afterEach(() => {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  listeners.splice(0).forEach((l) => l.close());
});

/** Gone, or a zombie its parent has not reaped yet (Linux /proc). */
function stopped(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function runner(components: Component[], report: string[] = []) {
  const varDir = mkdtempSync(join(tmpdir(), 'flowledger-runner-'));
  dirs.push(varDir);
  return new StackRunner({
    config: loadStackConfig({}),
    root: process.cwd(),
    varDir,
    components,
    report: (l) => report.push(l),
  });
}

describe('StackRunner', () => {
  it('installs everything, starts dependencies first, reports up, and stops what it started', async () => {
    // given two servers where b depends on a
    const [pa, pb] = [await freePort(), await freePort()];
    const log: string[] = [];
    const stack = runner([tcpServerComponent('b', pb, ['a'], log), tcpServerComponent('a', pa, [], log)]);

    // when the stack comes up
    await stack.up();

    // then both were installed before any launch, a before b, and both are up
    expect(log.slice(0, 2).sort()).toEqual(['install a', 'install b']);
    expect(log.slice(2)).toEqual(['launch a', 'launch b']);
    expect(await stack.status()).toEqual({
      a: { state: 'up', endpoint: `tcp://localhost:${pa}`, managed: true },
      b: { state: 'up', endpoint: `tcp://localhost:${pb}`, managed: true },
    });

    // and down stops them, dependents first. (Whether the process is gone, not whether its port
    // still answers: another test may have been given the freed port number meanwhile.)
    const pidOf = (name: string) =>
      (JSON.parse(readFileSync(join(dirs.at(-1)!, 'run', `${name}.pid`), 'utf8')) as { pid: number }).pid;
    const [pidA, pidB] = [pidOf('a'), pidOf('b')];
    expect(await stack.down()).toEqual(['b', 'a']);
    expect([pidA, pidB].map(stopped)).toEqual([true, true]);
    expect((await stack.status()).a!.state).toBe('down');
  });

  it('is idempotent: a second up starts nothing new', async () => {
    const port = await freePort();
    const log: string[] = [];
    const report: string[] = [];
    const stack = runner([tcpServerComponent('a', port, [], log)], report);
    await stack.up();
    await stack.up();
    expect(log.filter((l) => l.startsWith('launch'))).toEqual(['launch a']);
    expect(report.some((l) => l.includes('a: already up'))).toBe(true);
    await stack.down();
  });

  it('does not stop a server it did not start', async () => {
    const port = await freePort();
    const foreign = createServer().listen(port, '127.0.0.1');
    listeners.push(foreign);
    await new Promise((r) => foreign.once('listening', r));
    const stack = runner([tcpServerComponent('a', port)]);
    await stack.up(); // found healthy: not ours
    expect(await stack.status()).toMatchObject({ a: { state: 'up', managed: false } });
    expect(await stack.down()).toEqual([]);
    expect(await canConnect(port)).toBe(true);
  });

  it('starts a component with a lower CPU priority when its launch asks for one (every thread)', async () => {
    const port = await freePort();
    const plain = tcpServerComponent('a', port);
    const niced: Component = {
      ...plain,
      launch: async (ctx) => ({ ...(await plain.launch(ctx)), niceness: 7 }),
    };
    const stack = runner([niced]);
    const varDir = dirs.at(-1)!;
    await stack.up();
    const { pid } = JSON.parse(readFileSync(join(varDir, 'run', 'a.pid'), 'utf8')) as { pid: number };
    const niceOf = (task: string) => Number(readFileSync(task, 'utf8').split(') ')[1]!.split(' ')[16]);
    const threads = readdirSync(`/proc/${pid}/task`).map((t) => `/proc/${pid}/task/${t}/stat`);
    expect(threads.length).toBeGreaterThan(1); // Node's own threads (libuv pool, V8) inherit it too
    expect(threads.map(niceOf)).toEqual(threads.map(() => 7));
    // With autogroup the scheduler weighs sessions before threads, so the session is lowered too;
    // a kernel without it has no such file for any process.
    const autogroup = `/proc/${pid}/autogroup`;
    expect(existsSync(autogroup)).toBe(existsSync('/proc/self/autogroup'));
    if (existsSync(autogroup)) expect(readFileSync(autogroup, 'utf8')).toMatch(/ nice 7$/m);
    await stack.down();
  });

  it('reports a component that exits during start with the last lines of its log', async () => {
    const failing: Component = {
      ...tcpServerComponent('broken', await freePort()),
      launch: async () => ({
        cmd: process.execPath,
        args: ['-e', "console.error('cannot bind: address in use'); process.exit(3)"],
      }),
    };
    await expect(runner([failing]).up()).rejects.toThrow(
      /broken: exited during start[\s\S]*cannot bind: address in use/,
    );
  });

  it('refuses a dependency on a component that does not exist', () => {
    expect(() => runner([tcpServerComponent('a', 1, ['nope'])])).toThrow(/a depends on unknown component nope/);
  });
});

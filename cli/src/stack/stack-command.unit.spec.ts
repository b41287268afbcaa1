import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import type { Component } from './component.js';
import { stackCommand } from './stack-command.js';
import { freePort, tcpServerComponent } from './test-support/tcp-server-component.js';

// `flowledger stack …` as the CLI runs it, over components whose health is a real TCP connect.
const dirs: string[] = [];
const listeners: Server[] = [];
afterEach(() => {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  listeners.splice(0).forEach((l) => l.close());
});

async function stack(args: string[], components: Component[]) {
  const varDir = mkdtempSync(join(tmpdir(), 'flowledger-command-'));
  dirs.push(varDir);
  let stdout = '';
  let stderr = '';
  const code = await stackCommand(args, {
    config: loadStackConfig({}),
    root: process.cwd(),
    varDir,
    components,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

/** A server already listening on a free port: a component found up. */
async function listening(): Promise<number> {
  const port = await freePort();
  const server = createServer().listen(port, '127.0.0.1');
  listeners.push(server);
  await new Promise((r) => server.once('listening', r));
  return port;
}

describe('flowledger stack status', () => {
  it('exits 0 when every component is up', async () => {
    // given two components, both serving
    const [pa, pb] = [await listening(), await listening()];
    const components = [tcpServerComponent('a', pa), tcpServerComponent('b', pb)];

    // when the status is asked for, as a table and as JSON
    const text = await stack(['status'], components);
    const json = await stack(['status', '--json'], components);

    // then both say up, and both exit 0
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`  a  up    tcp://localhost:${pa}\n  b  up    tcp://localhost:${pb}\n`);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ a: { state: 'up' }, b: { state: 'up' } });
  });

  it('exits 1 when a component is down, and names it', async () => {
    // given one component serving and one whose port nothing listens on
    const up = await listening();
    const down = await freePort();
    const components = [tcpServerComponent('a', up), tcpServerComponent('b', down)];

    // when the status is asked for
    const text = await stack(['status'], components);
    const json = await stack(['status', '--json'], components);

    // then the report still lists everything, says which one is down, and the exit code is 1
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`b  down  tcp://localhost:${down}`);
    expect(text.stderr).toBe('down: b\n');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      a: { state: 'up', endpoint: `tcp://localhost:${up}`, managed: false },
      b: { state: 'down', endpoint: `tcp://localhost:${down}`, managed: false },
    });
  });

  it('documents the exit codes in its usage', async () => {
    const help = await stack(['--help'], []);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/status .*exits 1 when any component is down/);

    const wrong = await stack(['sideways'], []);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('usage: flowledger stack up|down|status [--json]');
  });
});

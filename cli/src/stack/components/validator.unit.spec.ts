import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStackConfig } from '@flowledger/config';
import { afterEach, describe, expect, it } from 'vitest';
import type { StackContext } from '../component.js';
import { validator } from './validator.js';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A checkout of its own with validator-py/requirements.txt; `run` records each command instead of running it. */
function checkout(requirements: string) {
  const root = mkdtempSync(join(tmpdir(), 'validator-install-'));
  roots.push(root);
  mkdirSync(join(root, 'validator-py'));
  const write = (text: string) => writeFileSync(join(root, 'validator-py', 'requirements.txt'), text);
  write(requirements);
  const commands: string[] = [];
  const ctx: StackContext = {
    config: loadStackConfig({}),
    root,
    varDir: join(root, 'var'),
    run: async (cmd, args) => void commands.push([cmd, ...args].join(' ')),
    progress: () => {},
  };
  const pipInstalls = () => commands.filter((c) => c.includes('pip install')).length;
  return { ctx, write, pipInstalls };
}

describe('validator component install', () => {
  it('installs the requirements once, and again only after requirements.txt changes', async () => {
    // given
    const { ctx, write, pipInstalls } = checkout('lxml==6.1.3\n');

    // when / then
    await validator.install(ctx);
    expect(pipInstalls()).toBe(1);
    await validator.install(ctx);
    expect(pipInstalls()).toBe(1);

    write('lxml==6.1.3\nprometheus_client==0.26.0\n');
    await validator.install(ctx);
    expect(pipInstalls()).toBe(2);
  });

  it('passes the metrics port to the process (9465 unless set)', async () => {
    const { ctx } = checkout('');
    const before = process.env.FLOWLEDGER_VALIDATOR_METRICS_PORT;
    try {
      delete process.env.FLOWLEDGER_VALIDATOR_METRICS_PORT;
      expect((await validator.launch(ctx)).env).toMatchObject({ FLOWLEDGER_VALIDATOR_METRICS_PORT: '9465' });
      process.env.FLOWLEDGER_VALIDATOR_METRICS_PORT = '19465';
      expect((await validator.launch(ctx)).env).toMatchObject({ FLOWLEDGER_VALIDATOR_METRICS_PORT: '19465' });
    } finally {
      if (before === undefined) delete process.env.FLOWLEDGER_VALIDATOR_METRICS_PORT;
      else process.env.FLOWLEDGER_VALIDATOR_METRICS_PORT = before;
    }
  });

  it("passes the stack config's socket path to the process, or an empty one for gRPC only", async () => {
    const { ctx } = checkout('');
    const withSocket = { ...ctx, config: loadStackConfig({ FLOWLEDGER_VALIDATOR_SOCKET: '/run/fl/v.sock' }) };
    const without = { ...ctx, config: loadStackConfig({ FLOWLEDGER_VALIDATOR_SOCKET: '' }) };

    expect((await validator.launch(withSocket)).env).toMatchObject({ FLOWLEDGER_VALIDATOR_SOCKET: '/run/fl/v.sock' });
    expect((await validator.launch(without)).env).toMatchObject({ FLOWLEDGER_VALIDATOR_SOCKET: '' });
  });
});

import type { StackConfig } from '@flowledger/config';
import type { Component } from './component.js';
import { StackRunner, type ComponentStatus } from './stack-runner.js';

export const STACK_USAGE = `usage: flowledger stack up|down|status [--json]
  up      installs what is missing, starts what is down, waits for health; exits 1 unless all is up
  down    stops only what this checkout started
  status  one line (--json: one object) per component; exits 1 when any component is down`;

export interface StackCommandContext {
  config: StackConfig;
  /** Absolute path of the checkout. */
  root: string;
  /** Absolute path of the checkout's `var/`. */
  varDir: string;
  components: Component[];
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

/** `flowledger stack up|down|status [--json]`; resolves to the exit code. */
export async function stackCommand(args: string[], ctx: StackCommandContext): Promise<number> {
  const stdout = ctx.stdout ?? process.stdout;
  const stderr = ctx.stderr ?? process.stderr;
  const [action, ...flags] = args;
  const json = flags.includes('--json');
  const started = Date.now();
  const runner = new StackRunner({
    config: ctx.config,
    root: ctx.root,
    varDir: ctx.varDir,
    components: ctx.components,
    report: (line) => stderr.write(`[${elapsed(started)}] ${line}\n`),
  });
  switch (action) {
    case 'up': {
      await runner.up();
      const status = await runner.status();
      if (json) stdout.write(JSON.stringify(status, null, 2) + '\n');
      else stdout.write(table(status, `stack up in ${elapsed(started)}`));
      return allUp(status) ? 0 : 1;
    }
    case 'down': {
      const stopped = await runner.down();
      stderr.write(stopped.length > 0 ? `stopped: ${stopped.join(', ')}\n` : 'nothing of ours was running\n');
      return 0;
    }
    case 'status': {
      const status = await runner.status();
      if (json) stdout.write(JSON.stringify(status) + '\n');
      else stdout.write(table(status));
      // Scripts and health checks read the exit code: a partly running stack is not "fine".
      if (allUp(status)) return 0;
      stderr.write(`down: ${down(status).join(', ')}\n`);
      return 1;
    }
    case 'help':
    case '--help':
    case '-h':
      stdout.write(`${STACK_USAGE}\n`);
      return 0;
    default:
      stderr.write(`${STACK_USAGE}\n`);
      return 2;
  }
}

function allUp(status: Record<string, ComponentStatus>): boolean {
  return down(status).length === 0;
}

function down(status: Record<string, ComponentStatus>): string[] {
  return Object.entries(status)
    .filter(([, s]) => s.state !== 'up')
    .map(([name]) => name);
}

function table(status: Record<string, ComponentStatus>, title?: string): string {
  const width = Math.max(...Object.keys(status).map((k) => k.length));
  const lines = Object.entries(status).map(([name, s]) => {
    const creds = s.username ? `  (${s.username} / ${s.password})` : '';
    return `  ${name.padEnd(width)}  ${s.state.padEnd(4)}  ${s.endpoint}${creds}\n`;
  });
  return (title ? `${title}\n` : '') + lines.join('');
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1).padStart(5)}s`;
}

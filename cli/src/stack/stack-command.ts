import { loadStackConfig } from '@flowledger/config';
import { root, varDir } from '../checkout.js';
import { components } from './components/index.js';
import { StackRunner } from './stack-runner.js';

/** `flowledger stack up|down|status [--json]`. */
export async function stackCommand(args: string[]): Promise<number> {
  const [action, ...flags] = args;
  const json = flags.includes('--json');
  const started = Date.now();
  const runner = new StackRunner({
    config: loadStackConfig(),
    root,
    varDir,
    components,
    report: (line) => process.stderr.write(`[${elapsed(started)}] ${line}\n`),
  });
  switch (action) {
    case 'up': {
      await runner.up();
      const status = await runner.status();
      if (json) process.stdout.write(JSON.stringify(status, null, 2) + '\n');
      else printTable(status, `stack up in ${elapsed(started)}`);
      return Object.values(status).every((s) => s.state === 'up') ? 0 : 1;
    }
    case 'down': {
      const stopped = await runner.down();
      process.stderr.write(stopped.length > 0 ? `stopped: ${stopped.join(', ')}\n` : 'nothing of ours was running\n');
      return 0;
    }
    case 'status': {
      const status = await runner.status();
      if (json) process.stdout.write(JSON.stringify(status) + '\n');
      else printTable(status);
      return 0;
    }
    default:
      process.stderr.write('usage: flowledger stack up|down|status [--json]\n');
      return 2;
  }
}

function printTable(status: Awaited<ReturnType<StackRunner['status']>>, title?: string): void {
  if (title) process.stdout.write(`${title}\n`);
  const width = Math.max(...Object.keys(status).map((k) => k.length));
  for (const [name, s] of Object.entries(status)) {
    const creds = s.username ? `  (${s.username} / ${s.password})` : '';
    process.stdout.write(`  ${name.padEnd(width)}  ${s.state.padEnd(4)}  ${s.endpoint}${creds}\n`);
  }
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1).padStart(5)}s`;
}

import { spawn } from 'node:child_process';
import { mkdirSync, createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from '@flowledger/config';
import type { StackContext } from './component.js';

/** Builds the context one component sees: its install log and its progress prefix. */
export function createStackContext(
  name: string,
  config: StackConfig,
  root: string,
  varDir: string,
  report: (line: string) => void,
): StackContext {
  const logDir = join(varDir, 'log');
  mkdirSync(logDir, { recursive: true });
  const installLog = join(logDir, `${name}.install.log`);
  return {
    config,
    root,
    varDir,
    progress: (message) => report(`${name}: ${message}`),
    run: (cmd, args, options = {}) =>
      new Promise<void>((resolve, reject) => {
        const log = createWriteStream(installLog, { flags: 'a' });
        log.write(`\n$ ${cmd} ${args.join(' ')}\n`);
        const child = spawn(cmd, args, {
          cwd: options.cwd ?? root,
          env: options.env ?? process.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.pipe(log, { end: false });
        child.stderr.pipe(log, { end: false });
        child.on('error', (err) => {
          log.end();
          reject(new Error(`${name}: cannot run ${cmd}: ${err.message}`));
        });
        child.on('close', (code) => {
          log.end(() => {
            if (code === 0) return resolve();
            const tail = readFileSync(installLog, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
            reject(new Error(`${name}: ${cmd} exited with ${code}; last lines of ${installLog}:\n${tail}`));
          });
        });
      }),
  };
}

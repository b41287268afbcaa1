import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Operation } from '@flowledger/bpmn-operations';
import type { ModelingClient } from '../support/modeling-client.js';
import { flow, rename, task } from '../support/proposal-operations.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Runs the real CLI (`npx flowledger …` without npx) and returns its exit code and output. The
 * output also goes to var/log/tests/cli.log as it comes, so a command that hangs shows where.
 */
export function flowledger(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const logDir = join(ROOT, 'var', 'log', 'tests');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'cli.log'), { flags: 'a' });
  log.write(`${new Date().toISOString()} $ flowledger ${args.join(' ')}\n`);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, 'cli', 'bin', 'flowledger.js'), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? Number(error.code ?? 1) : 0;
        log.end(`${new Date().toISOString()} exit ${code}\n`);
        resolve({ code, stdout, stderr });
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  });
}

/** The operations of version `v` (2, 3, …) of a test diagram: tasks, a flow between them, renames. */
export function operationsFor(v: number): Operation[] {
  if (v === 2) return [task('a', 100, 'start here')];
  if (v % 3 === 0) return [task(`t${v}`, 100 + v * 130, `step ${v}`)];
  if (v % 3 === 1) return [rename('Task_2_1', `renamed at ${v}`)];
  return [task(`t${v}`, 100 + v * 130), flow(`f${v}`, 'Task_2_1', `t${v}`)];
}

/** Creates a diagram and proposes versions 2..`versions` through the command service; returns its id. */
export async function buildDiagram(client: ModelingClient, name: string, versions: number): Promise<string> {
  const createTx = randomUUID();
  const { diagramId } = await retryUnavailable(() => client.createDiagram(name, '', createTx));
  for (let v = 2; v <= versions; v++) {
    const tx = randomUUID();
    const result = await retryUnavailable(() => client.propose(diagramId, v - 1, operationsFor(v), tx));
    if (result.result !== 'applied') throw new Error(`v${v} of ${name} was rejected: ${JSON.stringify(result)}`);
  }
  return diagramId;
}

/**
 * UNAVAILABLE means "retry with the same transaction id" (the contract): other suites restart the
 * shared broker now and then, which must not fail this one.
 */
export async function retryUnavailable<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if ((error as { code?: number }).code !== 14 || attempt >= 30) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

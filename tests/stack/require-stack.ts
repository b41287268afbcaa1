import { spawnSync } from 'node:child_process';

/**
 * Integration tests need the whole embedded stack. `npm test` starts it once before vitest; when
 * vitest runs on its own, this fails fast with the command to run instead of letting every test time out.
 */
export default function requireStack(): void {
  // `stack status` exits 1 when something is down; its JSON still says what.
  const result = spawnSync(process.execPath, ['cli/bin/flowledger.js', 'stack', 'status', '--json'], {
    encoding: 'utf8',
  });
  let status: Record<string, { state: string; endpoint: string }>;
  try {
    status = JSON.parse(result.stdout) as typeof status;
  } catch {
    throw new Error(`\`flowledger stack status --json\` failed (exit ${result.status}): ${result.stderr}`);
  }
  const down = Object.entries(status).filter(([, s]) => s.state !== 'up');
  if (down.length > 0) {
    throw new Error(
      `integration tests need the stack; down: ${down.map(([n, s]) => `${n} (${s.endpoint})`).join(', ')}. ` +
        'Run `npx flowledger stack up` or `npm test`.',
    );
  }
}

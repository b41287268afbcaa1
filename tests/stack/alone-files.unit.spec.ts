import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Integration files run two at a time against the one stack (vitest.config.ts). A file that
// stops, restarts or re-runs a component of that stack would pull it from under the file beside
// it, so it must be named `*.alone.int.spec.ts` (one at a time, after the rest). What gives such
// a file away in its code: the stack's process files (var/run/<name>.pid), the helpers that stop
// and start its servers, or `flowledger stack up|down`.
const DISRUPTS_THE_STACK = [/from '[^']*\/stack-server\.js'/, /['`][^'`\n]*var\/run\//, /'stack',\s*'(up|down)'/];

const root = join(import.meta.dirname, '..', '..');
const integrationFiles = execFileSync('git', ['ls-files', '*.int.spec.ts'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

describe('integration files that stop or restart the shared stack', () => {
  it('are named *.alone.int.spec.ts', () => {
    const disrupting = integrationFiles.filter((file) => {
      const code = readFileSync(join(root, file), 'utf8');
      return DISRUPTS_THE_STACK.some((pattern) => pattern.test(code));
    });
    // The patterns still find the files they were written for (a rename would hide them otherwise).
    expect(disrupting).toEqual(
      expect.arrayContaining([
        'tests/modeling/invariants/kafka-restart.alone.int.spec.ts',
        'tests/modeling/invariants/postgres-restart.alone.int.spec.ts',
        'libs/ledger/src/outbox/kafka-restart.alone.int.spec.ts',
        'tests/stack/stack-status.alone.int.spec.ts',
      ]),
    );
    expect(disrupting.filter((file) => !file.endsWith('.alone.int.spec.ts'))).toEqual([]);
  });

  it('would be caught in a file not so named', () => {
    const code = "import { kafkaBroker } from './support/stack-server.js';\nawait cli('stack', 'up');";
    expect(DISRUPTS_THE_STACK.filter((pattern) => pattern.test(code))).toHaveLength(2);
  });
});

import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/**
 * Five projects: `unit` (pure code, no servers), `browser` (the editor's diagram-js modules in
 * a real headless Chromium, no servers), `integration` and `integration-alone` (against the real
 * embedded stack, which scripts/test.mjs brings up once per run before vitest starts) and `e2e`
 * (the web app in headless Chromium against the same stack, through Envoy). Each runs after the
 * one before (`groupOrder`), also in a single `vitest run` of several projects.
 */
/** The projects that run against the embedded stack: it must be up, and its round trips take time. */
const againstTheStack = {
  globalSetup: ['tests/stack/require-stack.ts'],
  setupFiles: ['tests/support/buffer-equality.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['**/*.unit.spec.ts'],
          exclude: ['**/node_modules/**', 'var/**'],
          setupFiles: ['tests/support/buffer-equality.ts'],
          // Vitest's default (cores − 1) is one worker here; two took the suite from 123 s to 80 s on 2 cores.
          maxWorkers: 2,
        },
      },
      {
        // Pre-bundled up front: discovered mid-run, Vite would reload the page under a running test.
        optimizeDeps: {
          include: [
            'bpmn-js/lib/Modeler.js',
            'bpmn-js/lib/core/index.js',
            'bpmn-js/lib/features/modeling/index.js',
            'bpmn-js/lib/features/replace/index.js',
            'diagram-js/lib/features/move/index.js',
            'oidc-client-ts',
          ],
        },
        test: {
          name: 'browser',
          sequence: { groupOrder: 1 },
          include: ['web/src/**/*.browser.spec.ts'],
          exclude: ['**/node_modules/**', 'var/**'],
          browser: {
            enabled: true,
            headless: true,
            // Debian's Chromium (Playwright cannot download its own browser here), as in web/e2e.
            provider: playwright({
              launchOptions: {
                executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                  '--no-first-run',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.spec.ts'],
          exclude: ['**/node_modules/**', 'var/**', '**/*.alone.int.spec.ts'],
          ...againstTheStack,
          // Two files at a time against the one stack: each works on tenants of its own, and most
          // of a file's time is waiting for the stack, not work.
          maxWorkers: 2,
          // A worker imports the stack's clients once for all its files (about a second per file otherwise).
          isolate: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          // Files that must have the stack to themselves, named `*.alone.int.spec.ts`: they stop or
          // restart a component, sweep or lock what every tenant shares (the ledger test database,
          // a rebuild's lock, the live read models' writers), or assert what another file's load
          // would change (timings, the stack's consumer lag, log lines). One at a time, after the rest.
          name: 'integration-alone',
          include: ['**/*.alone.int.spec.ts'],
          exclude: ['**/node_modules/**', 'var/**'],
          ...againstTheStack,
          fileParallelism: false,
          // Isolated: a client of a file that restarted Kafka may still be retrying when it ends.
          sequence: { groupOrder: 3 },
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 4 },
          include: ['web/e2e/**/*.e2e.spec.ts'],
          exclude: ['**/node_modules/**', 'var/**'],
          ...againstTheStack,
          // Real Chromium windows against the one shared stack: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});

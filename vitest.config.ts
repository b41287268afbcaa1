import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure code, no servers), `integration` (against the real embedded
 * stack, which scripts/test.mjs brings up once per run before vitest starts) and `e2e` (the web
 * app in headless Chromium against the same stack, through Envoy).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.unit.spec.ts'],
          exclude: ['**/node_modules/**', 'var/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.spec.ts'],
          exclude: ['**/node_modules/**', 'var/**'],
          globalSetup: ['tests/stack/require-stack.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores: integration files share one stack; running them one at a time keeps timings honest.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['web/e2e/**/*.e2e.spec.ts'],
          exclude: ['**/node_modules/**', 'var/**'],
          globalSetup: ['tests/stack/require-stack.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real Chromium windows against the one shared stack: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});

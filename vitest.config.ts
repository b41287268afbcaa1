import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure code, no servers) and `integration` (against the real embedded
 * stack, which scripts/test.mjs brings up once per run before vitest starts).
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
    ],
  },
});

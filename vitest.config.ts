import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/**
 * Four projects: `unit` (pure code, no servers), `browser` (the editor's diagram-js modules in
 * a real headless Chromium, no servers), `integration` (against the real embedded stack, which
 * scripts/test.mjs brings up once per run before vitest starts) and `e2e` (the web app in
 * headless Chromium against the same stack, through Envoy).
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

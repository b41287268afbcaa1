import { join } from 'node:path';
import { defineConfig } from 'vite';

/** Builds into var/web/dist; `npm run dev -w web` serves with the API proxied to Envoy. */
export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: join(import.meta.dirname, '..', 'var', 'web', 'dist'),
    emptyOutDir: true,
    // bpmn-js is large by nature; one chunk keeps the static server trivial.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/flowledger.': 'http://localhost:8080',
      '/config.json': 'http://localhost:8080',
    },
  },
});

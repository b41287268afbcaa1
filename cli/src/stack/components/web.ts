import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Component, StackContext } from '../component.js';
import { fingerprint, isInstalled, markInstalled } from '../install-marker.js';

/**
 * The web app (web/): built with Vite into var/web/dist at install, rebuilt whenever its sources,
 * the contract or the lockfile change, and served by a small static server that Envoy routes
 * "/" to (same origin as gRPC-Web).
 */
export const web: Component = {
  name: 'web',
  dependsOn: [],
  // Browsers use the edge; this is the internal address Envoy forwards to.
  endpoint: (config) => `http://${config.host}:${config.web.port}`,

  async install(ctx) {
    const marker = join(ctx.varDir, 'web', '.flowledger-built');
    const print = fingerprint(...buildInputs(ctx));
    if (isInstalled(marker, print)) return;
    ctx.progress('building the editor into var/web/dist');
    await ctx.run(process.execPath, [join(ctx.root, 'web', 'scripts', 'build.mjs')], { cwd: join(ctx.root, 'web') });
    markInstalled(marker, print);
  },

  launch: async (ctx) => ({
    cmd: process.execPath,
    args: ['--import', 'tsx', 'server/main.ts'],
    cwd: join(ctx.root, 'web'),
  }),

  async healthy(ctx) {
    try {
      const response = await fetch(`http://127.0.0.1:${ctx.config.web.port}/config.json`, {
        signal: AbortSignal.timeout(2000),
      });
      return response.ok;
    } catch {
      return false;
    }
  },
  startTimeoutSeconds: 20,
};

/** Every file the bundle is made from (names and contents both count). */
function buildInputs(ctx: StackContext): string[] {
  const web = join(ctx.root, 'web');
  const files = [
    ...listFiles(join(web, 'src'), (path) => !path.startsWith(join(web, 'src', 'gen'))),
    ...listFiles(join(ctx.root, 'schemas', 'proto', 'flowledger', 'modeling'), () => true),
    join(web, 'index.html'),
    join(web, 'vite.config.ts'),
    join(web, 'buf.gen.yaml'),
    join(web, 'package.json'),
    join(web, 'scripts', 'build.mjs'),
    join(web, 'scripts', 'generate-api.mjs'),
    join(ctx.root, 'package-lock.json'),
  ];
  // The names go in too, so a renamed or deleted file changes the fingerprint.
  return [...files, files.map((f) => relative(ctx.root, f)).join('\n')];
}

function listFiles(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (!keep(path)) continue;
    if (entry.isDirectory()) out.push(...listFiles(path, keep));
    else if (statSync(path).isFile()) out.push(path);
  }
  return out;
}

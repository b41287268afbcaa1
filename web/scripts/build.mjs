// The web component's build: contract TypeScript from schemas/proto, then the Vite bundle into
// var/web/dist (served by server/main.ts behind Envoy). The stack runs it at install when
// web/ changed (cli/src/stack/components/web.ts).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(webDir, 'scripts', 'generate-api.mjs')], { stdio: 'inherit' });
const { build } = await import('vite');
await build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });

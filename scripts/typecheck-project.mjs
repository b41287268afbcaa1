// `nx run <project>:typecheck`: tsc over one project's folder with the workspace's compiler
// options (tsconfig.json at the root), so a project is checked exactly as `npm run typecheck`
// checks it, files it imports from other projects included. The per-project tsconfig is
// generated into var/ (git-ignored) rather than kept in every folder.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './bootstrap.mjs';

const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: node scripts/typecheck-project.mjs <project folder>');
  process.exit(2);
}
// The command service's gRPC types are generated (git-ignored), and other projects import its files.
spawnSync(process.execPath, [join(root, 'command-service', 'scripts', 'generate-grpc-types.mjs')], {
  stdio: 'inherit',
});
const dir = join(root, 'var', 'typecheck');
mkdirSync(dir, { recursive: true });
const fromDir = (path) => relative(dir, join(root, path));
const config = join(dir, `${projectRoot.replaceAll('/', '__')}.tsconfig.json`);
writeFileSync(
  config,
  JSON.stringify(
    {
      extends: fromDir('tsconfig.json'),
      include: [fromDir(`${projectRoot}/**/*.ts`)],
      exclude: [fromDir(`${projectRoot}/**/node_modules`), fromDir(`${projectRoot}/**/dist`)],
    },
    null,
    2,
  ),
);
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(tsc.status ?? 1);

// Shared first steps of `npm start` and `npm test` on any machine, fresh or warm: check the
// prerequisites, install the npm workspace when its lockfile changed, and run the CLI.
// Plain Node with no dependencies, because it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const varDir = join(root, 'var');

export function checkPrerequisites() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const problems = [];
  if (major < 20 || (major === 20 && minor < 19)) problems.push(`Node >= 20.19 (this is ${process.versions.node})`);
  for (const [tool, args, need] of [
    ['java', ['-version'], 'a JDK >= 17 (java)'],
    ['mvn', ['-v'], 'Maven (mvn)'],
    ['python3', ['--version'], 'Python >= 3.10 (python3)'],
  ]) {
    if (spawnSync(tool, args, { stdio: 'ignore' }).status !== 0) problems.push(need);
  }
  const py = spawnSync('python3', ['-c', 'import sys, venv; print(sys.version_info >= (3, 10))'], { encoding: 'utf8' });
  if (py.status === 0 && py.stdout.trim() !== 'True') problems.push('Python >= 3.10 with venv');
  if (problems.length > 0) {
    console.error(`flowledger needs: ${problems.join('; ')}.\nInstall them, then run the command again.`);
    process.exit(2);
  }
}

/** `npm ci` when node_modules is missing or the lockfile changed since the last install. */
export function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const marker = join(varDir, 'npm-ci.installed');
  const print = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(join(root, 'node_modules')) && existsSync(marker) && readFileSync(marker, 'utf8') === print) return;
  console.error('installing npm packages (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  mkdirSync(varDir, { recursive: true });
  writeFileSync(marker, print);
}

export function flowledger(args, options = {}) {
  return run(process.execPath, [join(root, 'cli', 'bin', 'flowledger.js'), ...args], options);
}

export function run(cmd, args, { allowFailure = false, ...options } = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0 && !allowFailure) {
    console.error(`failed: ${cmd} ${args.join(' ')} (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
  return result;
}

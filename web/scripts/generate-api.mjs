// Generates the contract's TypeScript (src/gen/) from schemas/proto with buf + protoc-gen-es.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(webDir, '..', 'node_modules', '.bin', name);

rmSync(join(webDir, 'src', 'gen'), { recursive: true, force: true });
execFileSync(bin('buf'), ['generate', '--template', 'buf.gen.yaml'], {
  cwd: webDir,
  stdio: 'inherit',
  // buf finds protoc-gen-es on PATH.
  env: { ...process.env, PATH: `${join(webDir, '..', 'node_modules', '.bin')}:${process.env.PATH}` },
});

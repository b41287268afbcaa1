// Generates the TypeScript types of the gRPC contract as @grpc/proto-loader decodes it (the
// options main.ts loads with) into command-service/src/gen/ — git-ignored, never edited by hand.
// Run by `npm run typecheck` (and Nx's typecheck); the service imports only types from it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serviceDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(serviceDir, '..');
const out = join(serviceDir, 'src', 'gen');
const protos = [
  'flowledger/modeling/v1/modeling.proto',
  'flowledger/modeling/v1/presence.proto',
  'flowledger/modeling/v1/review.proto',
  'grpc/health/v1/health.proto',
];

rmSync(out, { recursive: true, force: true });
execFileSync(
  join(root, 'node_modules', '.bin', 'proto-loader-gen-types'),
  [
    '--longs=Number',
    '--enums=String',
    '--defaults',
    '--oneofs',
    '--grpcLib=@grpc/grpc-js',
    `--outDir=${out}`,
    '-I',
    join(root, 'schemas', 'proto'),
    '--',
    ...protos,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

// NodeNext resolution wants file extensions on relative imports; the generator writes none.
for (const file of readdirSync(out, { recursive: true })) {
  if (!String(file).endsWith('.ts')) continue;
  const path = join(out, String(file));
  const source = readFileSync(path, 'utf8').replace(/from '(\.{1,2}\/[^']+)'/g, "from '$1.js'");
  writeFileSync(path, source);
}

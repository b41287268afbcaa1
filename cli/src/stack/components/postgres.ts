import { existsSync, mkdirSync, chownSync, writeFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import type { Component, StackContext } from '../component.js';

/**
 * PostgreSQL: `$DATABASE_URL` when set (external), else a project-local cluster under
 * var/postgres from the machine's PostgreSQL binaries (Debian's package). Postgres refuses to
 * run as root, so as root the cluster is owned by and run as the `postgres` system user.
 */
export const postgres: Component = {
  name: 'postgres',
  dependsOn: [],
  endpoint: (config) => withoutCredentials(config.postgres.url),
  credentials: (config) => ({ username: config.postgres.username, password: config.postgres.password }),
  external: (config) => config.postgres.external,
  stopSignal: 'SIGINT',
  startTimeoutSeconds: 60,

  async install(ctx) {
    const dataDir = join(ctx.varDir, 'postgres', 'data');
    if (existsSync(join(dataDir, 'PG_VERSION'))) return;
    const bin = await ensureBinaries(ctx);
    ctx.progress(`initialising a cluster in ${dataDir}`);
    mkdirSync(dataDir, { recursive: true });
    const pwFile = join(ctx.varDir, 'postgres', 'pwfile');
    writeFileSync(pwFile, ctx.config.postgres.password, { mode: 0o600 });
    ownForServer([join(ctx.varDir, 'postgres'), dataDir, pwFile]);
    await ctx.run(
      ...asServer([
        join(bin, 'initdb'),
        '-D',
        dataDir,
        '-U',
        ctx.config.postgres.username,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
      ]),
    );
  },

  async launch(ctx) {
    const bin = await ensureBinaries(ctx);
    const sockets = join(ctx.varDir, 'postgres', 'sockets');
    mkdirSync(sockets, { recursive: true });
    ownForServer([sockets]);
    const [cmd, args] = asServer([
      join(bin, 'postgres'),
      '-D',
      join(ctx.varDir, 'postgres', 'data'),
      '-p',
      String(ctx.config.postgres.port),
      '-c',
      'listen_addresses=localhost',
      '-c',
      `unix_socket_directories=${sockets}`,
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=128MB',
      '-c',
      'wal_level=logical',
      // A statement waiting over deadlock_timeout (1 s) for a lock is logged with who holds it:
      // what a test that hangs on a lock left behind needs to say (var/log/postgres.log).
      '-c',
      'log_lock_waits=on',
    ]);
    return { cmd, args };
  },

  async healthy(ctx) {
    return query(maintenanceUrl(ctx), 'SELECT 1').then(
      () => true,
      () => false,
    );
  },

  async afterStart(ctx) {
    // The project's database, and the schema registry's own database in the same cluster.
    const { database, registryDatabase } = ctx.config.postgres;
    for (const db of [database, registryDatabase]) {
      const rows = await query(maintenanceUrl(ctx), 'SELECT 1 FROM pg_database WHERE datname = $1', [db]);
      if (rows.length === 0) await query(maintenanceUrl(ctx), `CREATE DATABASE "${db}"`);
    }
  },
};

/** The cluster's `postgres` database, which exists before ours do. */
function maintenanceUrl(ctx: StackContext): string {
  const url = new URL(ctx.config.postgres.url);
  url.pathname = '/postgres';
  return url.toString();
}

async function query(url: string, sql: string, params: unknown[] = []): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The server binaries of the newest installed PostgreSQL; installs Debian's package when missing and allowed. */
async function ensureBinaries(ctx: StackContext): Promise<string> {
  const found = findBinaries();
  if (found) return found;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    ctx.progress("no PostgreSQL server found; installing Debian's postgresql package");
    await ctx.run('apt-get', ['update', '-qq']);
    await ctx.run('apt-get', ['install', '-y', '-qq', 'postgresql'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const installed = findBinaries();
    if (installed) return installed;
  }
  throw new Error(
    'postgres: no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin). ' +
      'Install PostgreSQL (e.g. `apt-get install postgresql`) or set DATABASE_URL to an existing server.',
  );
}

function findBinaries(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0]!, 'bin') : undefined;
}

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function asServer(argv: string[]): [string, string[]] {
  const [cmd, ...args] = argv as [string, ...string[]];
  if (!runsAsRoot()) return [cmd, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]];
}

function ownForServer(paths: string[]): void {
  if (!runsAsRoot()) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  for (const p of paths) chownSync(p, uid, gid);
}

/** Status prints credentials in their own fields, never inside the endpoint. */
function withoutCredentials(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

/**
 * `flowledger token --tenant T --actor A --roles r1,r2 [--ttl SECONDS]`
 *
 *   export async function tokenCommand(args: string[], ctx: TokenCommandContext): Promise<number>
 *
 * `args` are the words after `token`. Prints the dev JWT alone on stdout (plus a newline) and
 * returns 0; on a usage or input error writes the reason to stderr and returns 2 (1 for anything
 * else, e.g. an unreadable key file) — the caller sets `process.exitCode`. The token is signed with the embedded issuer's key from
 * var/oidc/jwks.private.json, created here if the issuer has not run yet.
 */
import { parseArgs } from 'node:util';
import type { StackConfig } from '@flowledger/config';
import { currentSigningKey, loadOrCreateSigningKeys, mintDevToken, ROLES, TokenError } from '@flowledger/oidc';

export interface TokenCommandContext {
  config: StackConfig;
  /** Absolute path of the checkout's `var/`. */
  varDir: string;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
  /** The clock tokens are dated by; the real one when absent. */
  now?: () => Date;
}

export const TOKEN_USAGE = `usage: flowledger token --tenant T --actor A --roles r1,r2 [--ttl SECONDS]
  roles: ${ROLES.join(', ')}; ttl defaults to 900 seconds`;

export async function tokenCommand(args: string[], ctx: TokenCommandContext): Promise<number> {
  const stdout = ctx.stdout ?? process.stdout;
  const stderr = ctx.stderr ?? process.stderr;
  try {
    const request = parseTokenArgs(args);
    if (ctx.config.oidc.external) {
      throw new UsageError(
        `FLOWLEDGER_OIDC_ISSUER points at an external IdP (${ctx.config.oidc.issuer}); ` +
          'dev tokens are only accepted from the embedded issuer — get a token from that IdP instead',
      );
    }
    const keys = await loadOrCreateSigningKeys(ctx.varDir);
    const jwt = await mintDevToken(
      { ...request, issuer: ctx.config.oidc.issuer },
      currentSigningKey(keys),
      (ctx.now ?? (() => new Date()))(),
    );
    stdout.write(`${jwt}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TokenError && error.code === 'INVALID_ARGUMENT')) {
      stderr.write(`flowledger token: ${error.message}\n${TOKEN_USAGE}\n`);
      return 2;
    }
    stderr.write(`flowledger token: ${(error as Error).message}\n`);
    return 1;
  }
}

/** Exported for tests; throws UsageError for anything `parseArgs` or the numbers reject. */
export function parseTokenArgs(args: string[]): {
  tenant: string;
  actor: string;
  roles: string[];
  ttlSeconds?: number;
} {
  let values: { tenant?: string; actor?: string; roles?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        tenant: { type: 'string' },
        actor: { type: 'string' },
        roles: { type: 'string' },
        ttl: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const missing = (['tenant', 'actor', 'roles'] as const).filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  let ttlSeconds: number | undefined;
  if (values.ttl !== undefined) {
    if (!/^\d+$/.test(values.ttl)) throw new UsageError(`--ttl must be a whole number of seconds (got ${values.ttl})`);
    ttlSeconds = Number(values.ttl);
  }
  return {
    tenant: values.tenant as string,
    actor: values.actor as string,
    roles: (values.roles as string)
      .split(',')
      .map((role) => role.trim())
      .filter((role) => role.length > 0),
    ttlSeconds,
  };
}

class UsageError extends Error {}

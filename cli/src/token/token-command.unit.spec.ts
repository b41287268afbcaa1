import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStackConfig } from '@flowledger/config';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenCommand } from './token-command.js';

let varDir: string;
beforeEach(async () => {
  varDir = await mkdtemp(join(tmpdir(), 'flowledger-token-'));
});
afterEach(async () => {
  await rm(varDir, { recursive: true, force: true });
});

describe('flowledger token', () => {
  it('prints the JWT alone on stdout, creating the signing key file (0600) on first use', async () => {
    const run = await runToken(['--tenant', 'acme', '--actor', 'bot-7', '--roles', 'agent,viewer', '--ttl', '120']);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(decodeJwt(run.stdout.trim())).toMatchObject({
      tenant_id: 'acme',
      actor_id: 'bot-7',
      roles: ['agent', 'viewer'],
      iat: 1_772_366_400,
      exp: 1_772_366_400 + 120,
    });
    expect((await stat(join(varDir, 'oidc', 'jwks.private.json'))).mode & 0o777).toBe(0o600);
  });

  it.each([
    [['--tenant', 'acme', '--actor', 'a'], /missing --roles/],
    [['--tenant', 'acme', '--actor', 'a', '--roles', 'editor', '--ttl', '10m'], /--ttl must be a whole number/],
    [['--tenant', 'acme', '--actor', 'a', '--roles', 'owner'], /unknown role/],
    [['--tenant', 'ACME', '--actor', 'a', '--roles', 'editor'], /tenant must be/],
    [['--tenant', 'acme', '--actor', 'a', '--roles', 'editor', '--scope', 'x'], /Unknown option '--scope'/],
  ])('exits 2 with the reason and usage on stderr for %j', async (args, reason) => {
    const run = await runToken(args);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toMatch(/usage: flowledger token/);
  });

  it('refuses to mint dev tokens when an external IdP is configured', async () => {
    const run = await runToken(['--tenant', 'acme', '--actor', 'a', '--roles', 'editor'], {
      FLOWLEDGER_OIDC_ISSUER: 'https://idp.example.test/realms/flowledger',
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/external IdP/);
  });
});

async function runToken(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await tokenCommand(args, {
    config: loadStackConfig(env),
    varDir,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    now: () => new Date('2026-03-01T12:00:00Z'),
  });
  return { code, stdout, stderr };
}

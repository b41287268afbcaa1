import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeySet, parsePrivateJwkSet, type PrivateJwkSet } from './signing-keys.js';

/** Where the dev signing keys live, relative to the checkout's `var/` folder. */
export function signingKeyPath(varDir: string): string {
  return join(varDir, 'oidc', 'jwks.private.json');
}

/**
 * Reads the dev signing key set, creating it (mode 0600) on first use. The issuer and
 * `flowledger token` may both get here first; the file appears atomically through a hard
 * link, so whichever loses the race reads the winner's keys instead of overwriting them.
 */
export async function loadOrCreateSigningKeys(varDir: string): Promise<PrivateJwkSet> {
  const path = signingKeyPath(varDir);
  const existing = await readKeyFile(path);
  if (existing) return existing;

  await mkdir(join(varDir, 'oidc'), { recursive: true, mode: 0o700 });
  const fresh = await generateSigningKeySet();
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(temporary, path);
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKeyFile(path);
    if (!winner) throw new Error(`${path} vanished while being created`);
    return winner;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readKeyFile(path: string): Promise<PrivateJwkSet | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parsePrivateJwkSet(JSON.parse(text));
  } catch (error) {
    throw new Error(
      `${path} is not a usable signing key set (${(error as Error).message}); delete it to generate a new one`,
    );
  }
}

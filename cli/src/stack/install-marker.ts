import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An install step is done when its marker file holds the fingerprint of what it installed
 * (e.g. a hash of the pom or requirements file); change the inputs and it runs again.
 */
export function fingerprint(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(existsSync(part) ? readFileSync(part) : part);
  return hash.digest('hex').slice(0, 16);
}

export function isInstalled(marker: string, print: string): boolean {
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === print;
}

export function markInstalled(marker: string, print: string): void {
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, print + '\n');
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `SHA256SUMS` in the format of coreutils (`sha256sum -c SHA256SUMS` checks a backup by hand too). */
export const CHECKSUMS_FILE = 'SHA256SUMS';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function writeChecksums(dir: string, files: string[]): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const f of files) sums[f] = await sha256File(join(dir, f));
  await writeFile(join(dir, CHECKSUMS_FILE), formatChecksums(sums));
  return sums;
}

export function formatChecksums(sums: Record<string, string>): string {
  return Object.entries(sums)
    .map(([file, hex]) => `${hex}  ${file}\n`)
    .join('');
}

export function parseChecksums(text: string): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new Error(`${CHECKSUMS_FILE}: malformed line "${line}"`);
    sums[m[2]!] = m[1]!;
  }
  return sums;
}

/** Every listed file's checksum, or a list of what is missing or differs (empty = intact). */
export async function verifyChecksums(dir: string, onFile?: () => void): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(dir, CHECKSUMS_FILE), 'utf8');
  } catch {
    return [`${CHECKSUMS_FILE} is missing: not a flowledger backup, or an incomplete one`];
  }
  const problems: string[] = [];
  for (const [file, expected] of Object.entries(parseChecksums(text))) {
    const actual = await sha256File(join(dir, file)).catch(() => undefined);
    if (actual === undefined) problems.push(`${file}: missing`);
    else if (actual !== expected) problems.push(`${file}: sha256 ${actual}, expected ${expected}`);
    onFile?.();
  }
  return problems;
}

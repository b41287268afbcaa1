import { createHash } from 'node:crypto';

/** The `result_hash` of an event: sha256, lowercase hex, of the canonical XML's UTF-8 bytes. */
export function computeResultHash(canonicalXml: string): string {
  return createHash('sha256').update(canonicalXml, 'utf8').digest('hex');
}

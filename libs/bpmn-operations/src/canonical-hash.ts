import { createHash } from 'node:crypto';

/**
 * sha256 (hex) of serialized BPMN XML. "Canonical" here means: hash the output of
 * serializeDiagram, which is deterministic for a given model (same elements, same order, same
 * formatting), so equal models hash equally however the original XML was written.
 */
export function canonicalHash(xml: string): string {
  return createHash('sha256').update(xml, 'utf8').digest('hex');
}

import { murmur2 } from '@platformatic/kafka';

/**
 * The partition a keyed record goes to: murmur2 of the key, masked to 31 bits, modulo the
 * partition count — the Java client's default, so every Kafka client puts a diagram's records
 * in the same partition. The producer uses exactly this, which lets readers find a key's
 * partition without scanning the topic.
 */
export function partitionForKey(key: string, partitionCount: number): number {
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new Error(`kafka: partition count must be a positive integer, got ${partitionCount}`);
  }
  return (murmur2(Buffer.from(key)) & 0x7fffffff) % partitionCount;
}

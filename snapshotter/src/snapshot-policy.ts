/**
 * When to take a snapshot (pure). Cold start and rebuild replay the versions after the latest
 * snapshot, and each replayed version is checked by serializing the whole diagram, so the cost of
 * a tail is about K × the diagram's size. K therefore shrinks as the diagram grows:
 *
 *   K = clamp(baseK × ceil(referenceBytes / xmlBytes), baseK, maxK)
 *
 * Defaults baseK 10, referenceBytes 200 KiB, maxK 100: a 200 KiB+ diagram is snapshotted every
 * 10 versions, a 96 KiB one every 30, anything under ~20 KiB every 100 (maxK is rounded down
 * to a multiple of baseK). A snapshot is due at version v when v is a multiple of K at v's size:
 * stateless, so a rebuild writes exactly the snapshots the live snapshotter wrote, and the
 * distance between two snapshots never exceeds maxK. Since every K is a multiple of baseK, only
 * versions that are multiples of baseK need the XML at all (`mayBeDue`).
 */
export interface SnapshotPolicy {
  baseK: number;
  maxK: number;
  referenceBytes: number;
}

export const DEFAULT_SNAPSHOT_POLICY: SnapshotPolicy = { baseK: 10, maxK: 100, referenceBytes: 200 * 1024 };

export function snapshotInterval(xmlBytes: number, policy: SnapshotPolicy): number {
  const factor = Math.ceil(policy.referenceBytes / Math.max(1, xmlBytes));
  const maxK = Math.floor(policy.maxK / policy.baseK) * policy.baseK;
  return Math.min(maxK, policy.baseK * factor);
}

/** Whether version `version` may be a snapshot version, before its size is known. */
export function mayBeDue(version: number, policy: SnapshotPolicy): boolean {
  return version > 0 && version % policy.baseK === 0;
}

export function isSnapshotDue(version: number, xmlBytes: number, policy: SnapshotPolicy): boolean {
  return version > 0 && version % snapshotInterval(xmlBytes, policy) === 0;
}

export function validatePolicy(policy: SnapshotPolicy): SnapshotPolicy {
  const { baseK, maxK, referenceBytes } = policy;
  if (![baseK, maxK, referenceBytes].every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error('snapshot policy: baseK, maxK and referenceBytes must be positive integers');
  }
  if (maxK < baseK) throw new Error(`snapshot policy: maxK ${maxK} is below baseK ${baseK}`);
  return policy;
}

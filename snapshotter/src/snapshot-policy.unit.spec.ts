import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_SNAPSHOT_POLICY,
  isSnapshotDue,
  mayBeDue,
  snapshotInterval,
  validatePolicy,
} from './snapshot-policy.js';

describe('snapshot policy', () => {
  it('snapshots large diagrams more often than small ones', () => {
    expect(snapshotInterval(300 * 1024, DEFAULT_SNAPSHOT_POLICY)).toBe(10);
    expect(snapshotInterval(96 * 1024, DEFAULT_SNAPSHOT_POLICY)).toBe(30);
    expect(snapshotInterval(2 * 1024, DEFAULT_SNAPSHOT_POLICY)).toBe(100);
  });

  it('keeps K within [baseK, maxK] and never grows with the size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 200 }),
        fc.nat(10_000_000),
        fc.nat(1000),
        (baseK, extra, a, b) => {
          const policy = { baseK, maxK: baseK + extra, referenceBytes: 200 * 1024 };
          const k1 = snapshotInterval(a, policy);
          const k2 = snapshotInterval(a + b, policy);
          expect(k1).toBeGreaterThanOrEqual(baseK);
          expect(k1).toBeLessThanOrEqual(policy.maxK);
          expect(k2).toBeLessThanOrEqual(k1);
        },
      ),
    );
  });

  it('is due at multiples of K, and only where mayBeDue said it could be', () => {
    const fixed = { baseK: 3, maxK: 3, referenceBytes: 1 };
    expect([1, 2, 3, 4, 5, 6, 7].filter((v) => isSnapshotDue(v, 500, fixed))).toEqual([3, 6]);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.nat(300),
        fc.integer({ min: 1, max: 1000 }),
        fc.nat(1_000_000),
        (baseK, extra, v, size) => {
          const policy = { baseK, maxK: baseK + extra, referenceBytes: 200 * 1024 };
          if (isSnapshotDue(v, size, policy)) expect(mayBeDue(v, policy)).toBe(true);
        },
      ),
    );
  });

  it('refuses a policy that makes no sense', () => {
    expect(() => validatePolicy({ baseK: 10, maxK: 5, referenceBytes: 1 })).toThrow(/maxK/);
    expect(() => validatePolicy({ baseK: 0, maxK: 5, referenceBytes: 1 })).toThrow(/positive/);
  });
});

import { describe, expect, it } from 'vitest';
import { createSerialBatcher } from './serial-batcher.js';

describe('serial batcher', () => {
  it('flushes a lone caller at once and coalesces callers that arrive during a flush, in order', async () => {
    // given a batcher whose flushes we can hold open
    const flushes: string[][] = [];
    let release: () => void = () => {};
    const batcher = createSerialBatcher<string>({
      flush: (items) => {
        flushes.push(items);
        return new Promise<void>((resolve) => (release = resolve));
      },
      sizeOf: () => 1,
      maxFlushSize: 100,
    });

    // when one caller adds, then three more add while its flush is in flight
    const first = batcher.add(['a']);
    const later = [batcher.add(['b']), batcher.add(['c', 'd']), batcher.add(['e'])];
    expect(flushes).toEqual([['a']]);
    release();
    await first;
    await Promise.resolve();
    release();
    await Promise.all(later);

    // then the later callers went out together, in arrival order, after the first flush
    expect(flushes).toEqual([['a'], ['b', 'c', 'd', 'e']]);
  });

  it('never has two flushes in flight and caps a flush by size without splitting a caller', async () => {
    // given a batcher that records overlap
    let inFlight = 0;
    let maxInFlight = 0;
    const flushes: number[][] = [];
    const batcher = createSerialBatcher<number>({
      flush: async (items) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        flushes.push(items);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
      },
      sizeOf: (n) => n,
      maxFlushSize: 10,
    });

    // when many callers add at once
    await Promise.all([[1], [6, 6], [3], [4], [5], [20]].map((items) => batcher.add(items)));

    // then flushes were one at a time, each within the cap unless a single caller exceeds it
    expect(maxInFlight).toBe(1);
    expect(flushes).toEqual([[1], [6, 6], [3, 4], [5], [20]]);
  });

  it('rejects every caller of a failed flush and keeps serving later callers', async () => {
    // given a flush that fails once
    let calls = 0;
    const batcher = createSerialBatcher<string>({
      flush: async () => {
        calls++;
        if (calls === 2) throw new Error('broker gone');
      },
      sizeOf: () => 1,
      maxFlushSize: 100,
    });

    // when callers share the failing flush
    const first = batcher.add(['a']);
    const failing = [batcher.add(['b']), batcher.add(['c'])];
    await first;
    const outcomes = await Promise.allSettled(failing);

    // then both fail with the flush's error, and the next caller succeeds
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await expect(batcher.add(['d'])).resolves.toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { createFetchPositions, type FetchedBatch } from './fetch-positions.js';

const batch = (
  firstOffset: bigint,
  count: number,
  isControl = false,
): FetchedBatch & { records: Array<{ offsetDelta: number }> } => ({
  firstOffset,
  lastOffsetDelta: count - 1,
  isControl,
  records: Array.from({ length: count }, (_, i) => ({ offsetDelta: i })),
});

describe('a member’s fetch positions', () => {
  it('names every assigned partition in a sweep, and only those with news otherwise', () => {
    // given three partitions over two topics
    const positions = createFetchPositions();
    positions.assign([
      { topic: 'a', partition: 0, offset: 5n },
      { topic: 'a', partition: 1, offset: 0n },
      { topic: 'b', partition: 0, offset: 9n },
    ]);

    // when one partition and one whole topic have news, and a topic not assigned here too
    positions.markNews('a', 1);
    positions.markNews('b');
    positions.markNews('c');

    // then a targeted fetch names exactly those, once, and a sweep names all
    expect(positions.take(false)).toEqual([
      { topic: 'a', partition: 1, offset: 0n },
      { topic: 'b', partition: 0, offset: 9n },
    ]);
    expect(positions.hasNews()).toBe(false);
    expect(positions.take(false)).toEqual([]);
    expect(positions.take(true).map((p) => `${p.topic}:${p.partition}`)).toEqual(['a:0', 'a:1', 'b:0']);
  });

  it('hands over records from the position on, moves past control batches, and keeps news while the partition is behind', () => {
    // given a partition read up to offset 3
    const positions = createFetchPositions();
    positions.assign([{ topic: 'a', partition: 0, offset: 3n }]);

    // when a fetch returns a batch that starts before the position, a control batch and a last batch,
    // and the high watermark says more is waiting
    const accepted = positions.accept('a', 0, [batch(0n, 5), batch(5n, 1, true), batch(6n, 2)], 10n);

    // then only offsets 3, 4, 6 and 7 are handed over, the position is 8 and the partition still has news
    expect(accepted.map((r) => r.offset)).toEqual([3n, 4n, 6n, 7n]);
    expect(positions.positionOf('a', 0)).toBe(8n);
    expect(positions.take(false)).toEqual([{ topic: 'a', partition: 0, offset: 8n }]);

    // when the rest comes and the partition is at its high watermark, then its news is done
    expect(positions.accept('a', 0, [batch(8n, 2)], 10n).map((r) => r.offset)).toEqual([8n, 9n]);
    expect(positions.hasNews()).toBe(false);
    // and a repeated (stale) response hands over nothing
    expect(positions.accept('a', 0, [batch(8n, 2)], 10n)).toEqual([]);
  });

  it('forgets partitions and their news when a rebalance takes them away', () => {
    const positions = createFetchPositions();
    positions.assign([
      { topic: 'a', partition: 0, offset: 0n },
      { topic: 'b', partition: 0, offset: 0n },
    ]);
    positions.markNews('a');
    positions.markNews('b');

    positions.assign([{ topic: 'b', partition: 0, offset: 4n }]);

    expect(positions.take(false)).toEqual([{ topic: 'b', partition: 0, offset: 4n }]);
    expect(positions.accept('a', 0, [batch(0n, 3)], 3n)).toEqual([]);
    expect(positions.positionOf('a', 0)).toBeUndefined();
  });
});

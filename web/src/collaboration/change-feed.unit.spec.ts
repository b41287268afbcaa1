import { describe, expect, it } from 'vitest';
import type { Operation } from '../modeler/operations.js';
import { ChangeFeed, type AppliedChange } from './change-feed.js';

const move = (id: string): Operation => ({
  op: { case: 'moveElements', value: { elementIds: [id], delta: { x: 1, y: 0 }, newParentId: '' } },
});
const change = (version: number, operations: Operation[] = [], idMap: Record<string, string> = {}): AppliedChange => ({
  version,
  operations,
  idMap,
  actorId: 'a',
});

describe('ChangeFeed: applied versions in order, from two sources', () => {
  it('releases versions in order, holding one that arrives early', () => {
    const feed = new ChangeFeed(1);
    expect(feed.offer(change(3))).toEqual([]);
    expect(feed.offer(change(2)).map((c) => c.version)).toEqual([2, 3]);
    expect(feed.version).toBe(3);
  });

  it('drops a duplicate (one’s own change echoed by Subscribe)', () => {
    const feed = new ChangeFeed(1);
    feed.offer(change(2));
    expect(feed.offer(change(2))).toEqual([]);
  });

  it('knows which elements later versions touched, through the id map', () => {
    const feed = new ChangeFeed(1);
    feed.offer(
      change(2, [{ op: { case: 'createShape', value: { id: 'tmp', type: 'bpmn:Task', parentId: '', name: '' } } }], {
        tmp: 'Task_2_1',
      }),
    );
    feed.offer(change(3, [move('Task_2_1')]));
    expect(feed.touchedAny(2, ['Task_2_1'])).toBe(true);
    expect(feed.touchedAny(2, ['Other'])).toBe(false);
    expect(feed.touchedAny(1, ['Task_2_1'])).toBe(true);
  });

  it('after a reload, assumes the skipped versions touched everything', () => {
    const feed = new ChangeFeed(1);
    feed.resetTo(5);
    expect(feed.touchedAny(1, ['X'])).toBe(true);
    expect(feed.offer(change(6)).map((c) => c.version)).toEqual([6]);
  });
});

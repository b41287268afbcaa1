import { describe, expect, it } from 'vitest';
import { sizedChanges, writeShape } from '@flowledger/projection/test-support/sized-changes';
import { createStateCollector } from './tenant-state.js';

describe("a tenant rebuild's state writes", () => {
  it("hold each diagram's last change once, after its created change, in one write while they fit", () => {
    const state = createStateCollector();
    state.take(sizedChanges(['a', 1, 5], ['b', 1, 5], ['a', 2, 6]));
    state.take(sizedChanges(['a', 3, 7], ['c', 4, 3]));

    expect(writeShape(state.writes(100))).toEqual([['a1', 'a3', 'b1', 'c4']]);
    expect([state.appliedVersion('t', 'a'), state.appliedVersion('t', 'b'), state.appliedVersion('t', 'x')]).toEqual([
      3, 1, 0,
    ]);
  });

  it('start a new write when the next diagram would go over the budget; a larger one goes alone', () => {
    const state = createStateCollector();
    state.take(sizedChanges(['a', 1, 60], ['b', 1, 50], ['c', 1, 500], ['d', 1, 10], ['b', 2, 55]));

    expect(writeShape(state.writes(100))).toEqual([['a1'], ['b1', 'b2'], ['c1'], ['d1']]);
    expect(writeShape(state.writes(1_000))).toEqual([['a1', 'b1', 'b2', 'c1', 'd1']]);
  });

  it("keep a diagram's created change beside its last even when they hold different diagram objects", () => {
    const state = createStateCollector();
    const [created] = sizedChanges(['a', 1, 40]);
    const later = sizedChanges(['a', 2, 70], ['b', 2, 40]); // another batch: other objects
    state.take([created!, ...later]);

    const writes = state.writes(100);
    expect(writeShape(writes)).toEqual([['a1', 'a2'], ['b2']]);
    expect(writes[0]![0]).toBe(created);
  });

  it('are none for no changes', () => {
    expect(createStateCollector().writes()).toEqual([]);
  });
});

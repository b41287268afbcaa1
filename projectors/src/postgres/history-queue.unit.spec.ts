import { describe, expect, it } from 'vitest';
import type { ProjectedChange, ProjectionSink } from '@flowledger/projection';
import { createHistoryQueue } from './history-queue.js';

const batch = (n: number) => [{ event: { version: n } }] as unknown as ProjectedChange[];

/** A history sink whose writes end when the test says so. */
function heldSink() {
  const started: number[] = [];
  const finish: Array<(error?: Error) => void> = [];
  const sink = {
    applyBatch: (changes: ProjectedChange[]) =>
      new Promise<void>((resolve, reject) => {
        started.push(changes[0]!.event.version);
        finish.push((error) => (error ? reject(error) : resolve()));
      }),
  } as unknown as ProjectionSink;
  return { sink, started, finish };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createHistoryQueue', () => {
  it('writes batches one after another, in order, and makes push wait only when `behind` are pending', async () => {
    const { sink, started, finish } = heldSink();
    const queue = createHistoryQueue(sink, 2);
    await queue.push(batch(1));
    await queue.push(batch(2));
    let third = false;
    const pushing = queue.push(batch(3)).then(() => (third = true));
    await tick();
    expect(started).toEqual([1]); // one write at a time
    expect(third).toBe(false); // two pending: the third waits
    finish[0]!();
    await pushing;
    expect(third).toBe(true);
    await tick();
    expect(started).toEqual([1, 2]);
    finish[1]!();
    await tick();
    finish[2]!();
    await queue.drain();
    expect(started).toEqual([1, 2, 3]);
  });

  it('fails drain and the next push with the first failed write, and skips the writes queued after it', async () => {
    const { sink, started, finish } = heldSink();
    const queue = createHistoryQueue(sink, 4);
    await queue.push(batch(1));
    await queue.push(batch(2));
    await tick();
    finish[0]!(new Error('connection lost'));
    await expect(queue.drain()).rejects.toThrow('connection lost');
    expect(started).toEqual([1]);
    await expect(queue.push(batch(3))).rejects.toThrow('connection lost');
  });
});

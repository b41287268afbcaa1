import type { ProjectedChange, ProjectionSink } from '@flowledger/projection';

/**
 * A tenant build's history writes, one after another, up to `behind` batches behind the rebuild:
 * `push` waits only when that many are pending. Each write joins its rows with the ledger (~55 ms
 * a batch where the ledger's rows are wide), which outlasts the replay of a batch whose events
 * are passed on from a snapshot: the rebuild waited for Postgres there. The history sink reads
 * nothing but the events, so a write may start after the replay moved on. A failed write fails
 * the next `push` and `drain` (awaited by the build's settle and switch), and the writes queued
 * after it are skipped.
 */
export function createHistoryQueue(history: ProjectionSink, behind: number) {
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;
  let failure: { error: unknown } | undefined;
  const waiting: Array<() => void> = [];
  const check = () => {
    if (failure) throw failure.error;
  };
  return {
    async push(changes: ProjectedChange[]): Promise<void> {
      check();
      while (pending >= behind) await new Promise<void>((resolve) => waiting.push(resolve));
      check();
      pending++;
      tail = tail
        .then(() => (failure ? undefined : history.applyBatch!(changes)))
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          pending--;
          waiting.shift()?.();
        });
    },
    async drain(): Promise<void> {
      await tail;
      check();
    },
  };
}

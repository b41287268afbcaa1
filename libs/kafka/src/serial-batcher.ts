/** Runs one flush at a time; what callers add meanwhile goes out together in the next flush. */
export interface SerialBatcher<T> {
  /** Resolves when the flush carrying these items succeeded; rejects with that flush's error. */
  add(items: T[]): Promise<void>;
}

export interface SerialBatcherOptions<T> {
  flush(items: T[]): Promise<void>;
  sizeOf(item: T): number;
  /** A flush stops taking further callers' items once it holds this much (one caller's items are never split). */
  maxFlushSize: number;
}

export function createSerialBatcher<T>({ flush, sizeOf, maxFlushSize }: SerialBatcherOptions<T>): SerialBatcher<T> {
  const waiting: Waiter<T>[] = [];
  let flushing = false;

  async function drain(): Promise<void> {
    flushing = true;
    while (waiting.length > 0) {
      const taken = takeUpTo(waiting, maxFlushSize);
      try {
        await flush(taken.flatMap((w) => w.items));
        for (const w of taken) w.resolve();
      } catch (err) {
        for (const w of taken) w.reject(err);
      }
    }
    flushing = false;
  }

  return {
    add(items) {
      return new Promise<void>((resolve, reject) => {
        const size = items.reduce((sum, item) => sum + sizeOf(item), 0);
        waiting.push({ items, size, resolve, reject });
        // An idle batcher flushes at once, so a lone caller pays no batching delay.
        if (!flushing) void drain();
      });
    },
  };
}

interface Waiter<T> {
  items: T[];
  size: number;
  resolve(): void;
  reject(err: unknown): void;
}

function takeUpTo<T>(waiting: Waiter<T>[], maxSize: number): Waiter<T>[] {
  const taken = [waiting.shift()!];
  let size = taken[0]!.size;
  while (waiting.length > 0 && size + waiting[0]!.size <= maxSize) {
    const next = waiting.shift()!;
    size += next.size;
    taken.push(next);
  }
  return taken;
}

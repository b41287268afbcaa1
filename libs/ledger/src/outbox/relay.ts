import type { OutboxPublisher, SweepResult } from './outbox-publisher.js';

export interface RelayOptions {
  intervalMs: number;
  /**
   * Leave events younger than this to the process that committed them (default 1000 ms): the
   * relay is for recovery, and contending for the lock would only slow the normal path.
   */
  minAgeMs?: number;
  /** Told about each pass that could not publish everything (default: ignored; the next pass retries). */
  onSweep?(result: SweepResult): void;
}

export interface Relay {
  /** Resolves after the pass in progress, if any, has finished. */
  stop(): Promise<void>;
}

export function startRelay(publisher: OutboxPublisher, { intervalMs, minAgeMs = 1000, onSweep }: RelayOptions): Relay {
  if (!(intervalMs > 0)) throw new Error('ledger: relay intervalMs must be positive');
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const pass = async () => {
    try {
      onSweep?.(await publisher.publishAllPending({ minAgeMs }));
    } catch (error) {
      onSweep?.({ published: 0, failures: [{ tenantId: '*', diagramId: '*', error }] });
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(schedule);
    }, intervalMs);
  };
  running = pass().finally(schedule);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

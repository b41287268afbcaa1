import { EventEmitter } from 'node:events';

/**
 * Wakes subscribers when a diagram gets a new version: from this process directly, from other
 * processes through Postgres LISTEN/NOTIFY (wired by the ledger adapter). Subscribers also
 * re-check on a timer, so a lost notification delays a change by at most `pollMs`.
 */
export class ChangeFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  notify(tenantId: string, diagramId: string): void {
    this.emitter.emit(`${tenantId}/${diagramId}`);
  }

  /** Resolves on the next change of the diagram, after `pollMs`, or when `signal` aborts. */
  next(tenantId: string, diagramId: string, pollMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const key = `${tenantId}/${diagramId}`;
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(key, done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      this.emitter.on(key, done);
      signal.addEventListener('abort', done);
    });
  }
}

/**
 * The only key to the command stack. A permit is held while the client executes a change the
 * server has applied (`apply`), or while the gesture translator measures a gesture's effect and
 * reverts it inside the same synchronous call (`probe`, never painted, never sent).
 */
export type PermitReason = 'apply' | 'probe';

export default class Permits {
  static $inject: string[] = [];

  private readonly holders: PermitReason[] = [];

  held(): boolean {
    return this.holders.length > 0;
  }

  /** Runs `fn` holding a permit; released however `fn` ends. */
  run<T>(reason: PermitReason, fn: () => T): T {
    this.holders.push(reason);
    try {
      return fn();
    } finally {
      this.holders.pop();
    }
  }
}

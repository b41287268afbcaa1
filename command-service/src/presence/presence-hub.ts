import { ChangeFeed } from '../modeling/queries/change-feed.js';
import { PresenceBoard, type Participant, type PresenceUpdate } from './presence-board.js';

export interface PresenceSettings {
  /** How often an editor sends a heartbeat (the server tells the client). */
  heartbeatIntervalMs: number;
  /** A participant not heard from for this long is gone (three missed heartbeats by default). */
  expiresAfterMs: number;
  /** A selection larger than this is cut (the forwarded update must fit Postgres's NOTIFY payload). */
  maxSelectedElements: number;
}

export const DEFAULT_PRESENCE_SETTINGS: PresenceSettings = {
  heartbeatIntervalMs: 2_000,
  expiresAfterMs: 6_500,
  maxSelectedElements: 50,
};

/**
 * This process's presence: the board, fed with the heartbeats this process receives (and
 * forwards to the others) and those the others forward; watchers are woken on every change
 * the way Subscribe's are (ChangeFeed), and expiry runs on a timer.
 */
export class PresenceHub {
  private readonly board: PresenceBoard;
  private readonly wake = new ChangeFeed();
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly settings: PresenceSettings,
    private readonly now: () => number,
    private readonly forward: (update: PresenceUpdate) => Promise<void>,
  ) {
    this.board = new PresenceBoard(settings.expiresAfterMs);
  }

  /** A heartbeat or goodbye a caller sent to this process: applied here, then forwarded. */
  async receive(update: Omit<PresenceUpdate, 'at'>): Promise<void> {
    const stamped = {
      ...update,
      selectedElementIds: update.selectedElementIds.slice(0, this.settings.maxSelectedElements),
      at: this.now(),
    };
    this.accept(stamped);
    await this.forward(stamped);
  }

  /** An update forwarded by any process (this one's own come back too, and change nothing). */
  accept(update: PresenceUpdate): void {
    if (this.board.apply(update)) this.wake.notify(update.tenantId, update.diagramId);
  }

  participants(tenantId: string, diagramId: string): Participant[] {
    return this.board.participants(tenantId, diagramId);
  }

  /** The participants now, then each time they change, until `signal` aborts. */
  async *watch(tenantId: string, diagramId: string, signal: AbortSignal): AsyncGenerator<Participant[]> {
    let last: string | undefined;
    while (!signal.aborted) {
      const next = this.wake.next(tenantId, diagramId, this.settings.heartbeatIntervalMs, signal);
      const participants = this.participants(tenantId, diagramId);
      const seen = JSON.stringify(participants.map((p) => [p.actorId, p.selectedElementIds]));
      if (seen !== last) {
        last = seen;
        yield participants;
      }
      await next;
    }
  }

  start(): void {
    this.sweeper = setInterval(() => {
      for (const { tenantId, diagramId } of this.board.expire(this.now())) this.wake.notify(tenantId, diagramId);
    }, 500);
    this.sweeper.unref();
  }

  stop(): void {
    clearInterval(this.sweeper);
  }
}

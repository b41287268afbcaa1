import { Code, ConnectError } from '@connectrpc/connect';
import type { PresenceApi } from '../api/modeling-api.js';

/** Someone in the diagram, as the page shows them. */
export interface Present {
  actorId: string;
  selectedElementIds: string[];
}

const DEFAULT_HEARTBEAT_MS = 2_000;

/**
 * The user's presence in one diagram: heartbeats carrying the current selection (at once on a
 * change, and at the interval the server asks for), and the others' presence from the
 * WatchPresence stream, reconnecting when it breaks. Closing the stream or `leave` says goodbye.
 */
export class PresenceSession {
  private selection: string[] = [];
  private heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly api: PresenceApi,
    private readonly diagramId: string,
    private readonly onParticipants: (participants: Present[]) => void,
  ) {}

  start(): void {
    void this.watch();
    void this.beat();
  }

  /** The user's selection changed: the others see it with this heartbeat. */
  select(elementIds: string[]): void {
    this.selection = [...elementIds];
    void this.beat();
  }

  /** Leaving the page: goodbye at once (the server also notices the stream closing). */
  leave(): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    clearTimeout(this.timer);
    void this.api
      .updatePresence({ diagramId: this.diagramId, selectedElementIds: [], leaving: true })
      .catch(() => undefined);
  }

  private async beat(): Promise<void> {
    clearTimeout(this.timer);
    if (this.abort.signal.aborted) return;
    try {
      const answer = await this.api.updatePresence({
        diagramId: this.diagramId,
        selectedElementIds: this.selection,
        leaving: false,
      });
      if (answer.heartbeatIntervalMs > 0) this.heartbeatMs = answer.heartbeatIntervalMs;
    } catch (error) {
      if (signedOut(error)) throw error; // the page signs in again
      // Missed heartbeats only make us look absent for a moment; the next one repairs it.
    }
    if (!this.abort.signal.aborted) this.timer = setTimeout(() => void this.beat(), this.heartbeatMs);
  }

  private async watch(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const stream = this.api.watchPresence({ diagramId: this.diagramId }, { signal: this.abort.signal });
        for await (const snapshot of stream) {
          this.onParticipants(
            snapshot.participants.map((p) => ({ actorId: p.actorId, selectedElementIds: [...p.selectedElementIds] })),
          );
        }
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (signedOut(error)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

function signedOut(error: unknown): boolean {
  return error instanceof ConnectError && error.code === Code.Unauthenticated;
}

/**
 * Who is in which diagram, and what they have selected: the pure core of presence. Every
 * command-service process keeps one board, fed with the heartbeats it receives itself and
 * those other processes forward (Postgres NOTIFY), so all boards agree. Time comes in with
 * each call; nothing here reads a clock.
 */
export interface PresenceUpdate {
  tenantId: string;
  diagramId: string;
  actorId: string;
  selectedElementIds: string[];
  /** Said goodbye (closed the editor): gone at once, without waiting for the heartbeats to stop. */
  leaving: boolean;
  /** When the heartbeat arrived, in ms since the epoch. */
  at: number;
}

export interface Participant {
  actorId: string;
  selectedElementIds: string[];
  /** ms since the epoch. */
  lastSeen: number;
}

export interface DiagramKey {
  tenantId: string;
  diagramId: string;
}

export class PresenceBoard {
  private readonly diagrams = new Map<string, Map<string, Participant>>();

  constructor(private readonly expiresAfterMs: number) {}

  /**
   * Takes a heartbeat or a goodbye; returns whether the diagram's participants changed as a
   * watcher sees them (someone joined, left or selected differently), not just `lastSeen`.
   */
  apply(update: PresenceUpdate): boolean {
    const key = keyOf(update);
    const participants = this.diagrams.get(key) ?? new Map<string, Participant>();
    const known = participants.get(update.actorId);
    // Forwarded heartbeats may arrive late and out of order: an older one changes nothing.
    if (known && update.at < known.lastSeen) return false;
    if (update.leaving) {
      if (!known) return false;
      participants.delete(update.actorId);
      if (participants.size === 0) this.diagrams.delete(key);
      return true;
    }
    const selectedElementIds = [...new Set(update.selectedElementIds)].sort();
    participants.set(update.actorId, { actorId: update.actorId, selectedElementIds, lastSeen: update.at });
    this.diagrams.set(key, participants);
    return !known || !sameIds(known.selectedElementIds, selectedElementIds);
  }

  /** Drops everyone not heard from within `expiresAfterMs` of `now`; returns the diagrams that changed. */
  expire(now: number): DiagramKey[] {
    const changed: DiagramKey[] = [];
    for (const [key, participants] of this.diagrams) {
      let dropped = false;
      for (const [actorId, participant] of participants) {
        if (now - participant.lastSeen > this.expiresAfterMs) {
          participants.delete(actorId);
          dropped = true;
        }
      }
      if (participants.size === 0) this.diagrams.delete(key);
      if (dropped) changed.push(parseKey(key));
    }
    return changed;
  }

  /** The diagram's participants, ordered by actor id. */
  participants(tenantId: string, diagramId: string): Participant[] {
    const participants = this.diagrams.get(keyOf({ tenantId, diagramId }));
    if (!participants) return [];
    return [...participants.values()]
      .map((p) => ({ ...p, selectedElementIds: [...p.selectedElementIds] }))
      .sort((a, b) => a.actorId.localeCompare(b.actorId));
  }
}

function keyOf({ tenantId, diagramId }: DiagramKey): string {
  return `${tenantId}/${diagramId}`;
}

function parseKey(key: string): DiagramKey {
  const slash = key.indexOf('/');
  return { tenantId: key.slice(0, slash), diagramId: key.slice(slash + 1) };
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

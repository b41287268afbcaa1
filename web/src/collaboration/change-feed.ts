import { createdIds, referencedIds, type Operation } from '../modeler/operations.js';

/** One applied version, from a Propose answer (one's own) or from Subscribe (anyone's). */
export interface AppliedChange {
  version: number;
  operations: Operation[];
  idMap: Record<string, string>;
  actorId: string;
}

/**
 * Puts applied versions in order: a version is released only when every earlier one has been,
 * whichever source delivered it first; duplicates (one's own change coming back through
 * Subscribe) are dropped. Remembers which elements each version touched, for conflict checks.
 */
export class ChangeFeed {
  private readonly waiting = new Map<number, AppliedChange>();
  private readonly touched = new Map<number, Set<string>>();

  constructor(private current: number) {}

  get version(): number {
    return this.current;
  }

  /** Takes a change; returns the changes now ready to apply, in order. */
  offer(change: AppliedChange): AppliedChange[] {
    if (change.version > this.current && !this.waiting.has(change.version)) this.waiting.set(change.version, change);
    const ready: AppliedChange[] = [];
    for (let next = this.waiting.get(this.current + 1); next; next = this.waiting.get(this.current + 1)) {
      this.waiting.delete(next.version);
      this.current = next.version;
      this.touched.set(next.version, touchedIds(next));
      ready.push(next);
    }
    return ready;
  }

  /** After a reload: everything up to `version` is on the canvas. */
  resetTo(version: number): void {
    this.current = version;
    for (const v of this.waiting.keys()) if (v <= version) this.waiting.delete(v);
  }

  /** Whether versions after `since` touched any of `ids` (unknown = a reload happened in between: assume so). */
  touchedAny(since: number, ids: string[]): boolean {
    for (let v = since + 1; v <= this.current; v++) {
      const set = this.touched.get(v);
      if (!set) return true;
      if (ids.some((id) => set.has(id))) return true;
    }
    return false;
  }
}

function touchedIds(change: AppliedChange): Set<string> {
  const ids = change.operations.flatMap((o) => [...referencedIds(o), ...createdIds(o)]);
  return new Set(ids.map((id) => change.idMap[id] ?? id));
}

import { renameIds, type Operation } from '../modeler/operations.js';

/** One step of a user's own history: what it did and what undoes it, in permanent ids. */
export interface HistoryEntry {
  forward: Operation[];
  inverse: Operation[];
}

/**
 * Undo and redo for one user, as proposals. Other users' changes do not clear it: an entry is
 * proposed against the current version and applies where it still can; the server refuses it
 * where it no longer does. Elements re-created by an undo (or redo) get new permanent ids, so
 * every entry is rewritten to name them.
 */
export class UserHistory {
  private readonly undoStack: HistoryEntry[] = [];
  private readonly redoStack: HistoryEntry[] = [];

  /** A gesture was applied; `idMap` names its new elements. */
  recorded(entry: HistoryEntry, idMap: Record<string, string>): void {
    this.undoStack.push(entry);
    this.redoStack.length = 0;
    this.rename(idMap);
  }

  nextUndo(): HistoryEntry | undefined {
    return this.undoStack.at(-1);
  }

  nextRedo(): HistoryEntry | undefined {
    return this.redoStack.at(-1);
  }

  /** The last entry's inverse was applied. */
  undone(idMap: Record<string, string>): void {
    const entry = this.undoStack.pop();
    if (entry) this.redoStack.push(entry);
    this.rename(idMap);
  }

  /** The next redo's forward operations were applied. */
  redone(idMap: Record<string, string>): void {
    const entry = this.redoStack.pop();
    if (entry) this.undoStack.push(entry);
    this.rename(idMap);
  }

  /** The server refused to undo (or redo) the entry: it no longer applies; forget it. */
  dropUndo(): void {
    this.undoStack.pop();
  }

  dropRedo(): void {
    this.redoStack.pop();
  }

  private rename(idMap: Record<string, string>): void {
    if (Object.keys(idMap).length === 0) return;
    const rename = (id: string) => idMap[id] ?? id;
    for (const entry of [...this.undoStack, ...this.redoStack]) {
      entry.forward = entry.forward.map((o) => renameIds(o, rename));
      entry.inverse = entry.inverse.map((o) => renameIds(o, rename));
    }
  }
}

import type { Diagram } from '@flowledger/bpmn-operations';
import type { LintMemo } from './validation/bpmn-lint.js';

/** A diagram as this process last saw it: its version, XML and (when intact) parsed model. */
export interface WorkspaceEntry {
  version: number;
  xml: string;
  /** Absent after a failed proposal may have half-changed it; re-parsed from `xml` on next use. */
  model: Diagram | undefined;
  /** This version's lint findings, when this process linted it: the next proposal's lint may start from them. */
  lint?: LintMemo;
}

/**
 * Keeps the current state of recently used diagrams in memory and runs the proposals of one
 * diagram one at a time in this process, so a proposal can change the parsed model in place
 * instead of re-parsing the whole diagram. Other processes may append too: a stale entry is
 * detected by the ledger's version check and reloaded.
 */
export class DiagramWorkspace {
  private readonly entries = new Map<string, WorkspaceEntry>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly maxEntries = 500) {}

  /** Runs `work` after every earlier piece of work on the same diagram in this process. */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  get(key: string): WorkspaceEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Most recently used last, so eviction drops the coldest diagram.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: WorkspaceEntry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  static key(tenantId: string, diagramId: string): string {
    return `${tenantId}/${diagramId}`;
  }
}

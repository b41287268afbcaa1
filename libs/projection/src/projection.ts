import type { Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';

/**
 * A read model fed by the diagram-events topics (DESIGN.md §6, STYLE.md §4): declarative —
 * which events it handles and how one changes the sink — with the sink as its adapter.
 * Every projection is its own consumer group (`flowledger.projector.<name>.v<version>`).
 */
export interface Projection {
  /** e.g. `postgres`, `neo4j`, `snapshots`. */
  name: string;
  /**
   * The projection version. A new version rebuilds into fresh tables / labels while the old
   * one keeps serving, then switches over (issue 4, item 5).
   */
  version: number;
  canHandle(event: DiagramEvent): boolean;
  /**
   * Whether this projection needs the canonical XML after `event` (`ProjectedChange.xml`).
   * Absent = always. Serializing costs ~1 ms even for a small diagram, so read models built from
   * `diagram` alone answer false and a rebuild runs an order of magnitude faster.
   */
  needsXml?(event: DiagramEvent): boolean;
  /**
   * Optional: loads what `canHandle`, `needsXml` and the sink need to decide about these events
   * (e.g. per-tenant settings), so those can stay synchronous. Awaited before the events are
   * handled: by the live runner per fetched set, by a rebuild per chunk read.
   */
  prepare?(events: DiagramEvent[]): Promise<void>;
  sink: ProjectionSink;
}

/** What a projection sees for one event: the event and the diagram as it is after it. */
export interface ProjectedChange {
  event: DiagramEvent;
  /**
   * The diagram after the event, replayed from the stream. Read-only for sinks. In `applyBatch`
   * the changes of one diagram share this object, which is then in the state after the batch's
   * last change of that diagram: write state from the last change, history from every change.
   */
  diagram: Diagram;
  /**
   * Set by a rebuild that started the diagram from its latest snapshot, on the events up to the
   * snapshot's version: they were not replayed one by one, so `diagram` is already in the
   * snapshot's state (ahead of this event) and there is no `xml`. Sinks take history from them as
   * from any change; a later change of the same rebuild always brings the diagram's state.
   */
  fromSnapshot?: boolean;
  /**
   * Its canonical XML (what `resultHash` is the hash of; checked before the sink sees it).
   * Present whenever the projection's `needsXml` returned true (or it has none).
   */
  xml?: string;
}

/**
 * Where a projection writes. `apply` must record the diagram's applied version in the same
 * write (transaction) as the change, so a crash never leaves the two apart; re-delivered
 * events (version ≤ applied) are skipped by the runner before `apply` is called.
 */
export interface ProjectionSink {
  /** The last version applied for the diagram, 0 if none. */
  appliedVersion(tenantId: string, diagramId: string): Promise<number>;
  apply(change: ProjectedChange): Promise<void>;
  /**
   * Optional: many changes (any diagrams, each diagram's in version order, without gaps after
   * its applied version) in as few writes as possible. Used by rebuilds and by the live runner
   * (one call per fetched set of records); without it the runner calls `apply` for each change.
   * Must take what it needs from each `diagram` before its first `await`: a rebuild goes on
   * replaying into the same objects while the write is under way. A build's sink may instead keep
   * each diagram's last change and read it at `switchOver`: the rebuild replays nothing after a
   * diagram's last change, so by then its `diagram` is in the state after it.
   */
  applyBatch?(changes: ProjectedChange[]): Promise<void>;
  /** Drops everything of this projection version (for `rebuild`), optionally for one tenant. */
  reset(tenantId?: string): Promise<void>;
  /**
   * Optional: makes this projection version the one that serves reads (item 5). Called once a
   * live projector of this version has caught up with every topic, and after a full rebuild.
   * Must be idempotent and must not demote a newer active version.
   */
  activate?(): Promise<void>;
  /**
   * Optional: a fresh build of this projection version for a rebuild, beside what serves reads,
   * so that a rebuild never blanks the serving read model (item 5). `tenants` undefined: a build
   * of everything (new tables / labels, a new generation); else of those tenants only.
   */
  beginBuild?(tenants?: string[]): Promise<ProjectionBuild>;
}

/**
 * How long a build's `freeze` waits for the lock its live writer takes: a live write holds it for
 * one batch (milliseconds to seconds); longer means something holds it open, and the rebuild fails
 * naming what (`FREEZE_TIMEOUT`) rather than wait without end.
 */
export const DEFAULT_FREEZE_WAIT_MS = 60_000;

/**
 * A rebuild's target (`ProjectionSink.beginBuild`): written through `sink` while the old content
 * keeps serving, then made the serving content in one step. `freeze` holds back the live writer
 * of this projection version (its writes wait) so that the rebuild can read the streams' last
 * records before the switch and nothing the live writer wrote meanwhile is lost.
 */
export interface ProjectionBuild {
  /** Writes into the build only; `reset` and `activate` are never called on it. */
  sink: ProjectionSink;
  /** After each reading round before the freeze, its sink writes all done: what the build keeps aside can settle. */
  settle?(): Promise<void>;
  freeze(): Promise<void>;
  /**
   * Makes the build what serves (atomically for readers), drops what it replaced, releases the
   * freeze. The tenants in `unchanged` (their streams could not be rebuilt) keep what serves
   * them now: a tenant build leaves their rows alone, a full build carries them over.
   */
  switchOver(unchanged?: ReadonlySet<string>): Promise<void>;
  /** Drops the build and releases the freeze; what serves is left as it was. */
  abort(): Promise<void>;
}

/**
 * Waits for writes running side by side (independent stores, or one build's connections) and
 * then throws the first failure: an abort after it must not find one of them still writing.
 */
export async function settleSideBySide(writes: Iterable<Promise<unknown>>): Promise<void> {
  const ended = await Promise.allSettled(writes);
  const failed = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
  if (failed) throw failed.reason;
}

import type { DiagramEvent } from '@flowledger/events';

/**
 * What a projector reads from the ledger: gaps in a stream are filled from it, and a diagram
 * whose state is not in memory starts from a stored version. `createLedger({ pool })` of
 * @flowledger/ledger is one.
 */
export interface LedgerSource {
  /** Events `fromVersion`..`toVersion` (inclusive), in version order. */
  readEvents(tenantId: string, diagramId: string, fromVersion: number, toVersion?: number): Promise<DiagramEvent[]>;
  getVersionXml(tenantId: string, diagramId: string, version: number): Promise<string | undefined>;
}

export interface DiagramRef {
  tenantId: string;
  diagramId: string;
}

/** A stored snapshot: the canonical XML of one version. */
export interface StoredSnapshot {
  version: number;
  xml: string;
}

/** Snapshots (the snapshotter's store), preferred over the ledger's XML when a diagram starts cold. */
export interface SnapshotSource {
  /** The latest snapshot of the diagram at or before `version`, if any. */
  latestSnapshot(tenantId: string, diagramId: string, atOrBefore: number): Promise<StoredSnapshot | undefined>;
  /**
   * Optional: the latest snapshot of each diagram in one round trip (diagrams without one are
   * left out). A rebuild starts many diagrams at once.
   */
  latestSnapshots?(diagrams: DiagramRef[]): Promise<Array<StoredSnapshot & DiagramRef>>;
}

/**
 * Which diagram just changed, as the ledger announces it (`listenForLedgerChanges` of
 * @flowledger/ledger is one). A hint: a notice can be lost, so the consumer still sweeps.
 */
export interface ChangeNotices {
  listen(listener: {
    onChange(tenantId: string, diagramId: string): void;
    /** Notices (re)started: at first and after a reconnect, when earlier ones may have been lost. */
    onListening(): void;
  }): { stop(): Promise<void> };
}

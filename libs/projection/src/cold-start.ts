import type { Diagram } from '@flowledger/bpmn-operations';
import { diagramFromXml, replayEvent, verifyState } from './diagram-replay.js';
import { ProjectionError } from './projection-error.js';
import type { LedgerSource, SnapshotSource } from './projection-sources.js';

/**
 * The diagram at `version` for a projector that does not hold it: the latest snapshot at or
 * before it plus the ledger's events after it (verified against the last one's hash), else the
 * XML the ledger stored for that version.
 */
export async function loadDiagramAt(
  tenantId: string,
  diagramId: string,
  version: number,
  sources: { ledger: LedgerSource; snapshots?: SnapshotSource },
): Promise<Diagram> {
  const snapshot = await sources.snapshots?.latestSnapshot(tenantId, diagramId, version);
  if (snapshot) {
    let diagram = await diagramFromXml(snapshot.xml);
    if (snapshot.version === version) return diagram;
    const tail = await sources.ledger.readEvents(tenantId, diagramId, snapshot.version + 1, version);
    if (tail.length === version - snapshot.version) {
      for (const event of tail) diagram = (await replayEvent(diagram, event, { verify: false })).diagram;
      await verifyState(diagram, tail[tail.length - 1]!);
      return diagram;
    }
    // The ledger lacks part of the tail; its stored XML of the version is the other way in.
  }
  const xml = await sources.ledger.getVersionXml(tenantId, diagramId, version);
  if (xml === undefined) {
    throw new ProjectionError(
      'STATE_UNAVAILABLE',
      `${tenantId}/${diagramId} v${version}: neither a snapshot nor the ledger has it`,
      true,
    );
  }
  return diagramFromXml(xml);
}

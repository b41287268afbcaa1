import { canonicalHash, parseStoredDiagram, replayOperations, serializeDiagram } from '@flowledger/bpmn-operations';
import type { SnapshotSource } from '@flowledger/projection';
import { logger } from '../../observability/logger.js';
import type { WorkspaceEntry } from '../diagram-workspace.js';
import type { LedgerPort } from '../ledger-port.js';

/**
 * A diagram this process has not loaded yet, at `version`: the latest snapshot at or below it
 * plus the ledger's events after it, each replayed with its own version and checked against its
 * `resultHash`. Undefined when there is no snapshot, or the replay disagrees with a hash (logged
 * as an error: the snapshot or an event is wrong) — the caller then uses the ledger's stored XML.
 */
export async function loadFromSnapshot(
  tenantId: string,
  diagramId: string,
  version: number,
  deps: { ledger: LedgerPort; snapshots: SnapshotSource },
): Promise<WorkspaceEntry | undefined> {
  const snapshot = await deps.snapshots.latestSnapshot(tenantId, diagramId, version);
  if (!snapshot) return undefined;
  const log = logger.child({ tenant_id: tenantId, diagram_id: diagramId, version });
  try {
    const [at, ...tail] = (await deps.ledger.eventsAfter(tenantId, diagramId, snapshot.version - 1)).filter(
      (e) => e.version <= version,
    );
    if (at?.version !== snapshot.version || snapshot.version + tail.length !== version) {
      throw new Error(`the ledger lacks events between the snapshot (v${snapshot.version}) and v${version}`);
    }
    if (canonicalHash(snapshot.xml) !== at.resultHash) {
      throw new Error(`snapshot v${snapshot.version} does not hash to its event's result_hash ${at.resultHash}`);
    }
    const model = await parseStoredDiagram(snapshot.xml);
    let xml = snapshot.xml;
    for (const event of tail) {
      await replayOperations(model, event);
      xml = await serializeDiagram(model);
      const hash = canonicalHash(xml);
      if (hash !== event.resultHash) {
        throw new Error(`replayed v${event.version} hashes to ${hash}, the event says ${event.resultHash}`);
      }
    }
    log.info({ snapshot_version: snapshot.version, replayed: tail.length }, 'cold start from snapshot and ledger tail');
    return { version, xml, model };
  } catch (error) {
    log.error(
      { err: error, snapshot_version: snapshot.version },
      'cold start from snapshot failed; using the ledger stored XML',
    );
    return undefined;
  }
}

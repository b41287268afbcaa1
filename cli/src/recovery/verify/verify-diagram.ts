import { gunzipSync } from 'node:zlib';
import { canonicalHash, type Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import { diagramFromXml, replayEvent } from '@flowledger/projection';

/** What verify knows of one diagram, gathered by the caller from the ledger, topic, snapshots and read models. */
export interface DiagramEvidence {
  tenantId: string;
  diagramId: string;
  /** The ledger's current version (`diagrams.current_version`). */
  currentVersion: number;
  /** The ledger's events, in version order. */
  events: DiagramEvent[];
  /** The XML the ledger stored for each version (gzip), by version. */
  storedXmlGz: Map<number, Buffer>;
  /** The versions and result hashes of the diagram's records on the topic, in offset order. */
  topic: Array<{ version: number; resultHash: string }> | undefined;
  /** Every snapshot: version, recorded hash, the XML (gzip) from Postgres and from the archive file (undefined: missing). */
  snapshots: Array<{ version: number; resultHash: string; xmlGz: Buffer; archiveGz: Buffer | undefined }>;
  /** Read model → applied version. */
  applied: Record<string, number>;
  /**
   * Compares the read models' content with the replayed diagram (its state after the last event,
   * and every event); called only when the replay reached the current version. One line per difference.
   */
  inspectReadModels?(replayed: { diagram: Diagram; events: DiagramEvent[] }): Promise<string[]>;
}

export interface DiagramVerdict {
  tenantId: string;
  diagramId: string;
  version: number;
  /** The version replay started from: a snapshot's, or 0. */
  replayedFrom: number;
  replayed: number;
  problems: string[];
}

/**
 * Checks one diagram (pure apart from replay, which is deterministic): the ledger's versions are
 * 1..current without gaps; every stored XML hashes to its event's result_hash; every snapshot
 * (row and archive file) hashes to it too; replaying from the latest snapshot reproduces each
 * later hash; the topic holds the ledger's versions once each, in order, with the same hashes;
 * every read model has applied the current version, and (`inspectReadModels`) holds what the
 * replayed diagram says it must.
 */
export async function verifyDiagram(e: DiagramEvidence): Promise<DiagramVerdict> {
  const problems: string[] = [];
  const byVersion = new Map(e.events.map((ev) => [ev.version, ev]));
  e.events.forEach((ev, i) => {
    if (ev.version !== i + 1) problems.push(`ledger: event #${i + 1} has version ${ev.version}`);
  });
  if (e.events.length !== e.currentVersion) {
    problems.push(`ledger: ${e.events.length} events, current version ${e.currentVersion}`);
  }
  for (const ev of e.events) {
    const gz = e.storedXmlGz.get(ev.version);
    if (!gz) problems.push(`ledger: v${ev.version} has no stored XML`);
    else if (canonicalHash(gunzipSync(gz).toString('utf8')) !== ev.resultHash) {
      problems.push(`ledger: stored XML of v${ev.version} does not hash to its result_hash`);
    }
  }

  for (const s of e.snapshots) {
    const expected = byVersion.get(s.version)?.resultHash;
    if (s.resultHash !== expected) problems.push(`snapshot v${s.version}: recorded hash differs from the event's`);
    if (canonicalHash(gunzipSync(s.xmlGz).toString('utf8')) !== expected) {
      problems.push(`snapshot v${s.version}: Postgres XML does not hash to the event's result_hash`);
    }
    if (!s.archiveGz) problems.push(`snapshot v${s.version}: archive file missing`);
    else if (canonicalHash(gunzipSync(s.archiveGz).toString('utf8')) !== expected) {
      problems.push(`snapshot v${s.version}: archive file does not hash to the event's result_hash`);
    }
  }

  const start = e.snapshots.filter((s) => byVersion.has(s.version)).at(-1);
  let diagram: Diagram | undefined = start ? await diagramFromXml(gunzipSync(start.xmlGz).toString('utf8')) : undefined;
  let replayed = 0;
  for (const ev of e.events.filter((x) => x.version > (start?.version ?? 0))) {
    try {
      diagram = (await replayEvent(diagram, ev, { verify: true })).diagram;
      replayed++;
    } catch (error) {
      problems.push(`replay: ${(error as Error).message}`);
      break;
    }
  }

  if (e.topic) {
    const versions = e.topic.map((t) => t.version);
    const expected = e.events.map((ev) => ev.version);
    if (versions.join(',') !== expected.join(',')) {
      problems.push(`topic: versions ${summarize(versions)} differ from the ledger's ${summarize(expected)}`);
    }
    for (const t of e.topic) {
      if (byVersion.get(t.version) && byVersion.get(t.version)!.resultHash !== t.resultHash) {
        problems.push(`topic: v${t.version} carries another result_hash than the ledger`);
      }
    }
  } else if (e.events.length > 0) {
    problems.push('topic: the diagram has no records on its tenant topic');
  }

  for (const [model, version] of Object.entries(e.applied)) {
    if (version !== e.currentVersion)
      problems.push(`${model}: applied v${version}, the ledger is at v${e.currentVersion}`);
  }
  const replayedAll = (start?.version ?? 0) + replayed === e.currentVersion && e.events.length === e.currentVersion;
  if (diagram && replayedAll && e.inspectReadModels) {
    problems.push(...(await e.inspectReadModels({ diagram, events: e.events })));
  }
  return {
    tenantId: e.tenantId,
    diagramId: e.diagramId,
    version: e.currentVersion,
    replayedFrom: start?.version ?? 0,
    replayed,
    problems,
  };
}

function summarize(versions: number[]): string {
  return versions.length <= 6
    ? `[${versions.join(',')}]`
    : `[${versions.slice(0, 3).join(',')},…,${versions.slice(-2).join(',')}] (${versions.length})`;
}

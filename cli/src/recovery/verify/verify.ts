import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { StackConfig } from '@flowledger/config';
import { createAuditCodec, createEventCodec, diagramEventsTopic } from '@flowledger/events';
import type { KafkaAdmin, KafkaPartitionReader } from '@flowledger/kafka';
import { createLedger } from '@flowledger/ledger';
import type { Progress } from '../progress-bars.js';
import { openReadModel, READ_MODELS, ReadModelUnavailable, type OpenReadModel } from '../read-models.js';
import { loadAuditEvidence } from './audit-evidence.js';
import { verifyAudit, type AuditVerdict } from './verify-audit.js';
import { verifyDiagram, type DiagramVerdict } from './verify-diagram.js';

export interface VerifyDependencies {
  config: StackConfig;
  pool: pg.Pool;
  admin: KafkaAdmin;
  reader: KafkaPartitionReader;
  progress: Progress;
  archiveDir: string;
}

export interface VerifyReport {
  tenants: string[];
  diagrams: number;
  events: number;
  mismatches: DiagramVerdict[];
  /** Per tenant: its review audit log, the table against the topic (verify-audit.ts). */
  audit: AuditVerdict[];
  /** Read models checked, and those skipped with the reason. */
  readModels: { checked: string[]; skipped: Record<string, string> };
  ok: boolean;
}

/**
 * `verify`: every diagram of the tenants (default: all in the ledger), checked by verifyDiagram,
 * and each tenant's review audit log by verifyAudit.
 */
export async function verifyTenants(tenant: string | undefined, deps: VerifyDependencies): Promise<VerifyReport> {
  const { pool } = deps;
  const ledger = createLedger({ pool });
  const tenants = tenant
    ? [tenant]
    : (await pool.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM diagrams ORDER BY 1')).rows.map(
        (r) => r.tenant_id,
      );
  const models: OpenReadModel[] = [];
  const skipped: Record<string, string> = {};
  for (const name of READ_MODELS) {
    try {
      models.push(
        await openReadModel(name, { config: deps.config, pool, clientId: `flowledger-verify-${process.pid}` }),
      );
    } catch (error) {
      if (!(error instanceof ReadModelUnavailable)) throw error;
      skipped[name] = error.message;
    }
  }
  const codec = createEventCodec({ registryUrl: deps.config.schemaRegistry.url });
  const auditCodec = createAuditCodec({ registryUrl: deps.config.schemaRegistry.url });
  const audit: AuditVerdict[] = [];
  const snapshotsTable = await tableExists(pool, 'snapshots');
  const mismatches: DiagramVerdict[] = [];
  let diagrams = 0;
  let events = 0;
  try {
    for (const t of tenants) {
      const topic = await readTopic(t, deps, codec);
      const listed = await ledger.listDiagrams(t);
      const step = deps.progress.step(`verify ${t}`, listed.length, 'diagrams');
      const earlier = mismatches.length; // of the tenants before: this tenant's line counts its own
      for (const d of listed) {
        const evs = await ledger.readEvents(t, d.diagramId, 1);
        const { rows } = await pool.query<{ version: string; result_xml_gzip: Buffer }>(
          'SELECT version, result_xml_gzip FROM ledger_events WHERE tenant_id = $1 AND diagram_id = $2',
          [t, d.diagramId],
        );
        const snapshots = snapshotsTable ? await loadSnapshots(pool, t, d.diagramId, deps.archiveDir) : [];
        const applied: Record<string, number> = {};
        for (const m of models) applied[m.name] = await m.projection.sink.appliedVersion(t, d.diagramId);
        // Content is compared only where the version is right; a lagging model is reported above.
        const inspected = models.filter((m) => m.inspect && applied[m.name] === d.version);
        const verdict = await verifyDiagram({
          tenantId: t,
          diagramId: d.diagramId,
          currentVersion: d.version,
          events: evs,
          storedXmlGz: new Map(rows.map((r) => [Number(r.version), r.result_xml_gzip])),
          topic: topic?.get(d.diagramId),
          snapshots,
          applied,
          inspectReadModels: async (replayed) => {
            const problems: string[] = [];
            for (const m of inspected) {
              for (const p of await m.inspect!(t, d.diagramId, replayed)) problems.push(`${m.name}: ${p}`);
            }
            return problems;
          },
        });
        if (verdict.problems.length > 0) mismatches.push(verdict);
        diagrams++;
        events += evs.length;
        step.increment();
      }
      const own = mismatches.length - earlier;
      step.done(own === 0 ? 'ok' : `${own} with problems`);
      const auditStep = deps.progress.step(`verify ${t} audit`, 1, 'logs');
      const verdict = verifyAudit(await loadAuditEvidence(t, { ...deps, codec: auditCodec }));
      audit.push(verdict);
      auditStep.increment();
      auditStep.done(verdict.problems.length === 0 ? 'ok' : `${verdict.problems.length} problems`);
    }
  } finally {
    for (const m of models) await m.close().catch(() => undefined);
  }
  return {
    tenants,
    diagrams,
    events,
    mismatches,
    audit,
    readModels: { checked: models.map((m) => m.name), skipped },
    ok: mismatches.length === 0 && audit.every((a) => a.problems.length === 0),
  };
}

/** The tenant topic's records per diagram, in offset order (a diagram lives in one partition). */
async function readTopic(
  tenant: string,
  { admin, reader }: VerifyDependencies,
  codec: ReturnType<typeof createEventCodec>,
): Promise<Map<string, Array<{ version: number; resultHash: string }>> | undefined> {
  const topic = diagramEventsTopic(tenant);
  if (!(await admin.listTopics()).includes(topic)) return undefined;
  const out = new Map<string, Array<{ version: number; resultHash: string }>>();
  const partitions = await reader.partitionCount(topic);
  for (let p = 0; p < partitions; p++) {
    const { start, end } = await reader.offsets(topic, p);
    for (let from = start; from < end; from += 5000n) {
      const to = from + 5000n < end ? from + 5000n : end;
      for (const r of await reader.read(topic, p, from, to)) {
        const e = await codec.decode(r.value);
        let list = out.get(e.diagramId);
        if (!list) out.set(e.diagramId, (list = []));
        list.push({ version: e.version, resultHash: e.resultHash });
      }
    }
  }
  return out;
}

async function loadSnapshots(pool: pg.Pool, tenant: string, diagram: string, archiveDir: string) {
  const { rows } = await pool.query<{
    version: string;
    result_hash: string;
    xml_gz: Buffer;
    archive_path: string | null;
  }>(
    'SELECT version, result_hash, xml_gz, archive_path FROM snapshots WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version',
    [tenant, diagram],
  );
  return Promise.all(
    rows.map(async (r) => ({
      version: Number(r.version),
      resultHash: r.result_hash,
      xmlGz: r.xml_gz,
      archiveGz: r.archive_path ? await readFile(join(archiveDir, r.archive_path)).catch(() => undefined) : undefined,
    })),
  );
}

async function tableExists(pool: pg.Pool, table: string): Promise<boolean> {
  const { rows } = await pool.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [table]);
  return rows[0]?.t !== null;
}

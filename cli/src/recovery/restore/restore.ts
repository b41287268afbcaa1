import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { auditTopic, diagramEventsTopic, snapshotsTopic, type AuditCodec } from '@flowledger/events';
import type { KafkaAdmin, KafkaProducer, OutgoingRecord } from '@flowledger/kafka';
import {
  MANIFEST_FILE,
  readableBackup,
  SCHEMAS_FILE,
  type BackupManifest,
  type SchemaLine,
  type TopicKind,
  type TopicRecordLine,
} from '../backup/backup-format.js';
import { verifyChecksums } from '../backup/checksums.js';
import { readNdjsonGzip } from '../backup/ndjson-gzip.js';
import type { Progress } from '../progress-bars.js';
import type { RegistryClient } from '../registry-client.js';
import { restoreRows, type RestoredRows } from './restore-rows.js';
import { rewriteSchemaId } from './schema-id-rewrite.js';

export interface RestoreDependencies {
  pool: pg.Pool;
  admin: KafkaAdmin;
  producer: KafkaProducer;
  registry: RegistryClient;
  /** Reads the entry id of each restored audit record, through the restored registry. */
  auditCodec: Pick<AuditCodec, 'decode'>;
  progress: Progress;
}

export interface RestoreResult extends RestoredRows {
  tenant: string;
  format: string;
  /** What the backup could not bring back (an older format), for the operator. */
  notes: string[];
  records: Record<string, number>;
  /** Old schema id → the restored registry's id. */
  schemaIds: Record<number, number>;
}

/** Restore refuses to write over anything: the tenant must not exist in the target stack. */
export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused';
}

const PRODUCE_BATCH = 500;
const TOPIC_OF: Record<TopicKind, (tenant: string) => string> = {
  'diagram-events': diagramEventsTopic,
  snapshots: snapshotsTopic,
  audit: auditTopic,
};
const REVIEW_TABLES = ['proposal_reviews', 'audit_entries'];

/**
 * Restores a backup into a stack where the tenant does not exist: checksums first, then the
 * schemas (new ids mapped), the topics (same partition count; each record to its partition, in
 * offset order, with its schema id rewritten), then the ledger, review and audit rows (the
 * ledger's Kafka positions pointed at the restored records). A format-1 backup restores the
 * same way without reviews and audit log, and the result says so.
 */
export async function restoreBackup(dir: string, deps: RestoreDependencies): Promise<RestoreResult> {
  const { progress } = deps;
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => '{}')) as BackupManifest;
  const checking = progress.step('verify checksums', Object.keys(manifest.files ?? {}).length + 1, 'files');
  const problems = await verifyChecksums(dir, () => checking.increment());
  checking.done();
  if (problems.length > 0) throw new RestoreRefused(`backup ${dir} is damaged:\n  ${problems.join('\n  ')}`);
  const readable = readableBackup(manifest);
  if (!readable.ok) throw new RestoreRefused(readable.problem);
  const tenant = manifest.tenant;
  for (const [topic, t] of Object.entries(manifest.topics)) {
    if (topic !== TOPIC_OF[t.kind]?.(tenant))
      throw new RestoreRefused(`backup topic ${topic} does not belong to tenant ${tenant}`);
  }
  await refuseIfPresent(tenant, manifest, deps);

  const schemaIds = await restoreSchemas(dir, deps);

  const records: Record<string, number> = {};
  const positions = new Map<string, bigint>(); // `${partition}:${old offset}` → new offset, diagram events only
  const auditEntryIds = new Set<string>();
  for (const [topic, t] of Object.entries(manifest.topics)) {
    await deps.admin.ensureTopics([{ name: topic, partitions: t.partitions }]);
    const step = progress.step(`restore ${t.kind}`, t.records, 'records');
    let batch: Array<{ line: TopicRecordLine; record: OutgoingRecord }> = [];
    const flush = async () => {
      const produced = await deps.producer.send(batch.map((b) => b.record));
      if (t.kind === 'diagram-events') {
        produced.forEach((p, i) => positions.set(`${batch[i]!.line.partition}:${batch[i]!.line.offset}`, p.offset));
      }
      step.increment(batch.length);
      batch = [];
    };
    for await (const line of readNdjsonGzip<TopicRecordLine>(join(dir, t.file))) {
      const value = rewriteSchemaId(Buffer.from(line.value, 'base64'), schemaIds);
      if (t.kind === 'audit') auditEntryIds.add((await deps.auditCodec.decode(value)).entryId);
      batch.push({ line, record: { topic, key: line.key, value, headers: line.headers, partition: line.partition } });
      if (batch.length >= PRODUCE_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    records[topic] = t.records;
    step.done();
  }

  const rows = await restoreRows(dir, manifest, { positions, auditEntryIds }, deps);
  // Marks the restored rows all-visible (and counts them for the planner), so the rebuild that
  // follows a restore reads each version's lint count from the ledger's key alone (ledger
  // migration 004) instead of fetching every row.
  const vacuum = progress.step('vacuum ledger', 1, 'tables');
  await deps.pool.query('VACUUM (ANALYZE) ledger_events');
  vacuum.increment();
  vacuum.done();
  return {
    tenant,
    format: manifest.format,
    notes: readable.notes,
    records,
    schemaIds: Object.fromEntries(schemaIds),
    ...rows,
  };
}

async function refuseIfPresent(tenant: string, manifest: BackupManifest, { admin, pool }: RestoreDependencies) {
  const topics = new Set(await admin.listTopics());
  const present = Object.values(TOPIC_OF)
    .map((of) => of(tenant))
    .filter((t) => topics.has(t));
  const { rows: tables } = await pool.query<{ name: string; present: boolean }>(
    'SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name',
    [['diagrams', 'ledger_events', ...REVIEW_TABLES]],
  );
  const found = present.map((t) => `topic ${t}`);
  for (const { name, present: exists } of tables) {
    if (!exists) continue;
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${name} WHERE tenant_id = $1`, [
      tenant,
    ]);
    if (Number(rows[0]!.n) > 0) found.push(`${rows[0]!.n} ${name} rows`);
  }
  if (found.length > 0) {
    throw new RestoreRefused(
      `tenant ${tenant} already exists in this stack (${found.join(', ')}); restore only writes into an empty stack`,
    );
  }
  const missing = tables.filter((t) => !t.present).map((t) => t.name);
  const needsReviews = (manifest.reviews?.reviews ?? 0) + (manifest.reviews?.auditEntries ?? 0) > 0;
  if (missing.some((t) => !REVIEW_TABLES.includes(t) || needsReviews)) {
    throw new RestoreRefused(
      `this stack has no table ${missing.join(', ')}: start the command service once (it creates its tables), then restore`,
    );
  }
}

/** Registers each subject's versions in order; a schema the registry already has keeps its id there. */
async function restoreSchemas(dir: string, { registry, progress }: RestoreDependencies): Promise<Map<number, number>> {
  const lines: SchemaLine[] = [];
  for await (const line of readNdjsonGzip<SchemaLine>(join(dir, SCHEMAS_FILE))) lines.push(line);
  const step = progress.step('restore schemas', lines.length, 'schemas');
  const ids = new Map<number, number>();
  const ordered = [...lines].sort(
    (a, b) => (a.subject ?? '~').localeCompare(b.subject ?? '~') || (a.version ?? 0) - (b.version ?? 0),
  );
  for (const s of ordered) {
    if (s.subject === null) {
      if (!ids.has(s.id))
        throw new RestoreRefused(`schema id ${s.id} has no subject in the backup; cannot re-register it`);
      continue;
    }
    if (s.compatibility && s.version === ordered.find((o) => o.subject === s.subject)?.version) {
      await registry.setCompatibility(s.subject, s.compatibility);
    }
    ids.set(s.id, await registry.register(s.subject, s.schema, s.schemaType));
    step.increment();
  }
  step.done();
  return ids;
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { diagramEventsTopic, snapshotsTopic } from '@flowledger/events';
import type { KafkaAdmin, KafkaProducer, OutgoingRecord } from '@flowledger/kafka';
import {
  BACKUP_FORMAT,
  LEDGER_FILES,
  MANIFEST_FILE,
  SCHEMAS_FILE,
  type BackupManifest,
  type SchemaLine,
  type TopicRecordLine,
} from '../backup/backup-format.js';
import { verifyChecksums } from '../backup/checksums.js';
import { readNdjsonGzip } from '../backup/ndjson-gzip.js';
import type { Progress } from '../progress-bars.js';
import type { RegistryClient } from '../registry-client.js';
import { rewriteSchemaId } from './schema-id-rewrite.js';

export interface RestoreDependencies {
  pool: pg.Pool;
  admin: KafkaAdmin;
  producer: KafkaProducer;
  registry: RegistryClient;
  progress: Progress;
}

export interface RestoreResult {
  tenant: string;
  records: Record<string, number>;
  /** Old schema id → the restored registry's id. */
  schemaIds: Record<number, number>;
  diagrams: number;
  events: number;
  /** Ledger rows whose record was not in the backup's topic copy: restored unpublished, for the relay. */
  unpublished: number;
}

/** Restore refuses to write over anything: the tenant must not exist in the target stack. */
export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused';
}

const PRODUCE_BATCH = 500;

/**
 * Restores a backup into a stack where the tenant does not exist: checksums first, then the
 * schemas (new ids mapped), the topics (same partition count; each record to its partition, in
 * offset order, with its schema id rewritten), then the ledger rows (their Kafka positions
 * pointed at the restored records).
 */
export async function restoreBackup(dir: string, deps: RestoreDependencies): Promise<RestoreResult> {
  const { progress } = deps;
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => '{}')) as BackupManifest;
  const checking = progress.step('verify checksums', Object.keys(manifest.files ?? {}).length + 1, 'files');
  const problems = await verifyChecksums(dir, () => checking.increment());
  checking.done();
  if (problems.length > 0) throw new RestoreRefused(`backup ${dir} is damaged:\n  ${problems.join('\n  ')}`);
  if (manifest.format !== BACKUP_FORMAT)
    throw new RestoreRefused(`backup format ${manifest.format} is not ${BACKUP_FORMAT}`);
  const tenant = manifest.tenant;
  await refuseIfPresent(tenant, deps);

  const schemaIds = await restoreSchemas(dir, deps);

  const records: Record<string, number> = {};
  const positions = new Map<string, bigint>(); // `${partition}:${old offset}` → new offset, diagram events only
  for (const [topic, t] of Object.entries(manifest.topics)) {
    const expected = t.kind === 'diagram-events' ? diagramEventsTopic(tenant) : snapshotsTopic(tenant);
    if (topic !== expected) throw new RestoreRefused(`backup topic ${topic} does not belong to tenant ${tenant}`);
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
      batch.push({ line, record: { topic, key: line.key, value, headers: line.headers, partition: line.partition } });
      if (batch.length >= PRODUCE_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    records[topic] = t.records;
    step.done();
  }

  const { diagrams, events, unpublished } = await restoreLedger(dir, manifest, positions, deps);
  return { tenant, records, schemaIds: Object.fromEntries(schemaIds), diagrams, events, unpublished };
}

async function refuseIfPresent(tenant: string, { admin, pool }: RestoreDependencies): Promise<void> {
  const topics = new Set(await admin.listTopics());
  const present = [diagramEventsTopic(tenant), snapshotsTopic(tenant)].filter((t) => topics.has(t));
  const { rows } = await pool.query<{ diagrams: string; events: string }>(
    `SELECT (SELECT count(*) FROM diagrams WHERE tenant_id = $1) AS diagrams,
            (SELECT count(*) FROM ledger_events WHERE tenant_id = $1) AS events`,
    [tenant],
  );
  const found = [
    ...present.map((t) => `topic ${t}`),
    ...(Number(rows[0]!.diagrams) > 0 ? [`${rows[0]!.diagrams} diagrams rows`] : []),
    ...(Number(rows[0]!.events) > 0 ? [`${rows[0]!.events} ledger_events rows`] : []),
  ];
  if (found.length > 0) {
    throw new RestoreRefused(
      `tenant ${tenant} already exists in this stack (${found.join(', ')}); restore only writes into an empty stack`,
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

async function restoreLedger(
  dir: string,
  manifest: BackupManifest,
  positions: Map<string, bigint>,
  { pool, progress }: RestoreDependencies,
): Promise<{ diagrams: number; events: number; unpublished: number }> {
  const client = await pool.connect();
  let diagrams = 0;
  let events = 0;
  let unpublished = 0;
  try {
    await client.query('BEGIN');
    const step = progress.step('restore ledger', manifest.ledger.diagrams + manifest.ledger.events, 'rows');
    for await (const row of readNdjsonGzip<Record<string, unknown>>(join(dir, LEDGER_FILES.diagrams))) {
      await client.query('INSERT INTO diagrams SELECT * FROM json_populate_record(NULL::diagrams, $1)', [row]);
      diagrams++;
      step.increment();
    }
    for await (const row of readNdjsonGzip<Record<string, unknown>>(join(dir, LEDGER_FILES.ledger_events))) {
      const moved = positions.get(`${String(row.kafka_partition)}:${String(row.kafka_offset)}`);
      if (row.kafka_offset !== null && moved === undefined) {
        // Its record was not in the topic copy (written after it): the relay publishes it again.
        Object.assign(row, {
          published_at: null,
          kafka_partition: null,
          kafka_offset: null,
          publish_attempted_at: null,
        });
        unpublished++;
      } else if (moved !== undefined) {
        row.kafka_offset = moved.toString();
      }
      await client.query('INSERT INTO ledger_events SELECT * FROM json_populate_record(NULL::ledger_events, $1)', [
        row,
      ]);
      events++;
      step.increment();
    }
    await client.query('COMMIT');
    step.done();
    return { diagrams, events, unpublished };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

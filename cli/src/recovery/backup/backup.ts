import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import {
  auditSubject,
  auditTopic,
  diagramEventsSubject,
  diagramEventsTopic,
  snapshotsSubject,
  snapshotsTopic,
} from '@flowledger/events';
import type { KafkaAdmin, KafkaPartitionReader } from '@flowledger/kafka';
import type { Progress } from '../progress-bars.js';
import type { RegistryClient } from '../registry-client.js';
import {
  BACKUP_FORMAT,
  LEDGER_FILES,
  MANIFEST_FILE,
  REVIEW_FILES,
  SCHEMAS_FILE,
  TOPIC_FILES,
  type BackupManifest,
  type PartitionManifest,
  type SchemaLine,
  type TopicKind,
  type TopicRecordLine,
} from './backup-format.js';
import { writeChecksums } from './checksums.js';
import { writeNdjsonGzip } from './ndjson-gzip.js';
import { copyTables, type TableCopy } from './table-copy.js';

export interface BackupDependencies {
  pool: pg.Pool;
  admin: KafkaAdmin;
  reader: KafkaPartitionReader;
  registry: RegistryClient;
  progress: Progress;
  tool: { name: string; version: string };
  now(): Date;
}

/** Records read per fetch while copying a partition. */
const READ_CHUNK = 2000n;

/** The tenant's tables in the backup, in the order restore inserts them (a review before its entries). */
const TABLES: TableCopy[] = [
  { table: 'diagrams', file: LEDGER_FILES.diagrams, orderBy: 'diagram_id' },
  { table: 'ledger_events', file: LEDGER_FILES.ledger_events, orderBy: 'diagram_id, version' },
  { table: 'proposal_reviews', file: REVIEW_FILES.proposal_reviews, orderBy: 'review_id', optional: true },
  { table: 'audit_entries', file: REVIEW_FILES.audit_entries, orderBy: 'seq', optional: true },
];

/**
 * A logical backup of one tenant: every record of its topics (diagram events, snapshots, the
 * review audit log: key, headers, partition, offset, the raw Confluent-framed value), the
 * registry schemas they reference, its ledger rows, and its review and audit rows.
 * Take it while the tenant is quiet for a point-in-time copy; under writes, ledger rows and
 * audit entries newer than the copied topics are restored as unpublished, and the outbox relays
 * publish them again.
 */
export async function backupTenant(tenant: string, outDir: string, deps: BackupDependencies): Promise<BackupManifest> {
  await mkdir(outDir, { recursive: true });
  if ((await readdir(outDir)).length > 0) throw new Error(`backup: ${outDir} is not empty`);
  for (const sub of ['topics', 'registry', 'ledger', 'reviews']) await mkdir(join(outDir, sub), { recursive: true });
  const createdAt = deps.now().toISOString();
  const existing = new Set(await deps.admin.listTopics());
  const lines: Record<string, number> = {};
  const topics: BackupManifest['topics'] = {};
  const schemaIds = new Set<number>();

  const kinds: Array<[TopicKind, string]> = [
    ['diagram-events', diagramEventsTopic(tenant)],
    ['snapshots', snapshotsTopic(tenant)],
    ['audit', auditTopic(tenant)],
  ];
  for (const [kind, topic] of kinds) {
    if (!existing.has(topic)) continue;
    const file = TOPIC_FILES[kind];
    const { byPartition, records } = await copyTopic(topic, join(outDir, file), schemaIds, deps);
    topics[topic] = { kind, file, partitions: byPartition.length, records, byPartition };
    lines[file] = records;
  }

  const subjects = [diagramEventsSubject(tenant), snapshotsSubject(tenant), auditSubject(tenant)];
  const schemaLines = await collectSchemas(subjects, schemaIds, deps.registry);
  const schemaWriter = writeNdjsonGzip(join(outDir, SCHEMAS_FILE));
  for (const line of schemaLines) await schemaWriter.write(line);
  lines[SCHEMAS_FILE] = await schemaWriter.close();

  const rows = await copyTables(tenant, outDir, TABLES, deps);
  for (const { table, file } of TABLES) lines[file] = rows[table]!;

  const dataFiles = Object.keys(lines);
  const sums = await writeChecksums(outDir, dataFiles); // rewritten below with the manifest included
  const files: BackupManifest['files'] = {};
  for (const f of dataFiles)
    files[f] = { bytes: (await stat(join(outDir, f))).size, sha256: sums[f]!, lines: lines[f]! };
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    tool: deps.tool,
    tenant,
    createdAt,
    topics,
    schemas: {
      file: SCHEMAS_FILE,
      ids: [...schemaIds].sort((a, b) => a - b),
      subjects: [...new Set(schemaLines.flatMap((s) => (s.subject ? [s.subject] : [])))],
    },
    ledger: { diagrams: rows.diagrams!, events: rows.ledger_events!, files: LEDGER_FILES },
    reviews: { reviews: rows.proposal_reviews!, auditEntries: rows.audit_entries!, files: REVIEW_FILES },
    files,
  };
  await writeFile(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeChecksums(outDir, [...dataFiles, MANIFEST_FILE]);
  return manifest;
}

async function copyTopic(
  topic: string,
  path: string,
  schemaIds: Set<number>,
  { reader, progress }: BackupDependencies,
): Promise<{ byPartition: PartitionManifest[]; records: number }> {
  const count = await reader.partitionCount(topic);
  const ranges = [];
  for (let p = 0; p < count; p++) ranges.push({ partition: p, ...(await reader.offsets(topic, p)) });
  const total = ranges.reduce((n, r) => n + Number(r.end - r.start), 0);
  const step = progress.step(`backup ${topic.split('.').pop()}`, total, 'records');
  const writer = writeNdjsonGzip(path);
  const byPartition: PartitionManifest[] = [];
  for (const { partition, start, end } of ranges) {
    let first: bigint | null = null;
    let last: bigint | null = null;
    let records = 0;
    for (let from = start; from < end; from += READ_CHUNK) {
      const to = from + READ_CHUNK < end ? from + READ_CHUNK : end;
      for (const r of await reader.read(topic, partition, from, to)) {
        const schemaId = r.value.length >= 5 && r.value[0] === 0 ? r.value.readInt32BE(1) : null;
        if (schemaId !== null) schemaIds.add(schemaId);
        const line: TopicRecordLine = {
          partition,
          offset: r.offset.toString(),
          key: r.key,
          headers: r.headers,
          value: r.value.toString('base64'),
          schemaId,
        };
        await writer.write(line);
        first ??= r.offset;
        last = r.offset;
        records++;
      }
      step.increment(Number(to - from));
    }
    byPartition.push({
      partition,
      records,
      start: start.toString(),
      end: end.toString(),
      first: first?.toString() ?? null,
      last: last?.toString() ?? null,
    });
  }
  const written = await writer.close();
  step.done();
  return { byPartition, records: written };
}

/** Every version of the tenant's subjects, plus any id a record references that none of them holds. */
async function collectSchemas(subjects: string[], ids: Set<number>, registry: RegistryClient): Promise<SchemaLine[]> {
  const out: SchemaLine[] = [];
  for (const subject of subjects) {
    const compatibility = await registry.compatibility(subject);
    for (const v of await registry.versions(subject)) {
      const s = await registry.version(subject, v);
      out.push({ subject, version: s.version, id: s.id, schemaType: s.schemaType, schema: s.schema, compatibility });
    }
  }
  const known = new Set(out.map((s) => s.id));
  for (const id of [...ids].filter((i) => !known.has(i))) {
    const s = await registry.byId(id);
    out.push({ subject: null, version: null, id, schemaType: s.schemaType, schema: s.schema, compatibility: null });
  }
  return out;
}

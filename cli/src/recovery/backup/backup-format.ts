/**
 * The layout of a backup folder (format `flowledger-backup/2`):
 *
 *   manifest.json                         what is inside: counts, offsets, schema ids, created_at, tool version
 *   SHA256SUMS                            sha256 of every other file, coreutils format
 *   topics/diagram-events.ndjson.gz       one TopicRecordLine per record, by partition then offset
 *   topics/snapshots.ndjson.gz            the same for the snapshots topic (absent topic: no file)
 *   topics/audit.ndjson.gz                the same for the review audit topic (absent topic: no file)       [2]
 *   registry/schemas.ndjson.gz            one SchemaLine per subject version the records reference
 *   ledger/diagrams.ndjson.gz             the tenant's `diagrams` rows (row_to_json: exact types, µs timestamps)
 *   ledger/ledger_events.ndjson.gz        its `ledger_events` rows, with the per-version XML (bytea as \x hex)
 *   reviews/proposal_reviews.ndjson.gz    its agents' proposals under review, every status                [2]
 *   reviews/audit_entries.ndjson.gz       its review audit log, by seq (the outbox of the audit topic)     [2]
 *
 * Version 2 only adds files and the manifest's `reviews` ([2]); a version-1 backup is a valid
 * version-2 backup without them, so restore reads both.
 */
export const BACKUP_FORMAT = 'flowledger-backup/2';
export const BACKUP_FORMAT_V1 = 'flowledger-backup/1';
export type BackupFormat = typeof BACKUP_FORMAT | typeof BACKUP_FORMAT_V1;

export const TOPIC_FILES = {
  'diagram-events': 'topics/diagram-events.ndjson.gz',
  snapshots: 'topics/snapshots.ndjson.gz',
  audit: 'topics/audit.ndjson.gz',
};
export const SCHEMAS_FILE = 'registry/schemas.ndjson.gz';
export const LEDGER_FILES = { diagrams: 'ledger/diagrams.ndjson.gz', ledger_events: 'ledger/ledger_events.ndjson.gz' };
export const REVIEW_FILES = {
  proposal_reviews: 'reviews/proposal_reviews.ndjson.gz',
  audit_entries: 'reviews/audit_entries.ndjson.gz',
};
export const MANIFEST_FILE = 'manifest.json';

export type TopicKind = keyof typeof TOPIC_FILES;
export type LedgerTable = keyof typeof LEDGER_FILES;
export type ReviewTable = keyof typeof REVIEW_FILES;

export interface TopicRecordLine {
  partition: number;
  /** Decimal string (Kafka offsets are 64-bit). */
  offset: string;
  key: string;
  headers: Record<string, string>;
  /** The raw record value, Confluent framing included, base64. */
  value: string;
  /** The schema id in the value's Confluent header (null when it is not Confluent-framed). */
  schemaId: number | null;
}

export interface SchemaLine {
  /** Null when the id was referenced by a record but is no longer under the topic's subject. */
  subject: string | null;
  version: number | null;
  id: number;
  schemaType: string;
  schema: string;
  compatibility: string | null;
}

export interface PartitionManifest {
  partition: number;
  records: number;
  /** Log start / end offsets at backup time, and the first and last record's offsets. */
  start: string;
  end: string;
  first: string | null;
  last: string | null;
}

export interface BackupManifest {
  format: BackupFormat;
  tool: { name: string; version: string };
  tenant: string;
  createdAt: string;
  topics: Record<
    string,
    { kind: TopicKind; file: string; partitions: number; records: number; byPartition: PartitionManifest[] }
  >;
  schemas: { file: string; ids: number[]; subjects: string[] };
  ledger: { diagrams: number; events: number; files: Record<LedgerTable, string> };
  /** The review and audit tables' rows (format 2; absent in a format-1 backup). */
  reviews?: { reviews: number; auditEntries: number; files: Record<ReviewTable, string> };
  /** Every data file with its size and sha256 (also in SHA256SUMS, which covers this manifest too). */
  files: Record<string, { bytes: number; sha256: string; lines: number }>;
}

/**
 * Whether restore can read a manifest, and what it will say about it: a format-1 backup restores
 * as before, without reviews or an audit log (they were not backed up then).
 */
export function readableBackup(
  manifest: Partial<BackupManifest>,
): { ok: true; notes: string[] } | { ok: false; problem: string } {
  if (manifest.format === BACKUP_FORMAT) {
    if (!manifest.reviews) return { ok: false, problem: `a ${BACKUP_FORMAT} manifest without its reviews section` };
    return { ok: true, notes: [] };
  }
  if (manifest.format === BACKUP_FORMAT_V1) {
    return {
      ok: true,
      notes: [
        `backup format ${BACKUP_FORMAT_V1} (older): it holds no review or audit data, so the tenant's ` +
          'pending reviews, decided reviews and audit log are not restored',
      ],
    };
  }
  return {
    ok: false,
    problem: `backup format ${String(manifest.format)} is not one this tool reads (${BACKUP_FORMAT_V1}, ${BACKUP_FORMAT})`,
  };
}

import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { avroTypeOptions } from './diagram-event-schema.js';

/** The snapshot-created schema version this code writes. */
export const SNAPSHOT_CREATED_SCHEMA_VERSION = 1;

export const SNAPSHOT_CREATED_SCHEMA_FILE = new URL('../../../schemas/avro/snapshot-created/v1.avsc', import.meta.url);

/** A snapshot of one diagram version was stored (domain form of `snapshot-created/v1.avsc`). */
export interface SnapshotCreated {
  eventSchemaVersion: number;
  tenantId: string;
  diagramId: string;
  version: number;
  resultHash: string;
  xmlBytes: number;
  compressedBytes: number;
  compression: 'GZIP';
  /** Relative to the archive folder; null when the snapshot was stored in Postgres only. */
  archivePath: string | null;
  createdAt: Date;
}

export interface SnapshotCreatedAvro {
  event_schema_version: number;
  tenant_id: string;
  diagram_id: string;
  version: number;
  result_hash: string;
  xml_bytes: number;
  compressed_bytes: number;
  compression: 'GZIP';
  archive_path: string | null;
  created_at: number;
}

export function loadSnapshotCreatedSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SNAPSHOT_CREATED_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

export function snapshotCreatedAvroType(): avro.Type {
  return avro.Type.forSchema(loadSnapshotCreatedSchema() as avro.Schema, avroTypeOptions());
}

export function snapshotCreatedToAvro(s: SnapshotCreated): SnapshotCreatedAvro {
  return {
    event_schema_version: s.eventSchemaVersion,
    tenant_id: s.tenantId,
    diagram_id: s.diagramId,
    version: s.version,
    result_hash: s.resultHash,
    xml_bytes: s.xmlBytes,
    compressed_bytes: s.compressedBytes,
    compression: s.compression,
    archive_path: s.archivePath,
    created_at: s.createdAt.getTime(),
  };
}

export function snapshotCreatedFromAvro(r: SnapshotCreatedAvro): SnapshotCreated {
  return {
    eventSchemaVersion: r.event_schema_version,
    tenantId: r.tenant_id,
    diagramId: r.diagram_id,
    version: Number(r.version),
    resultHash: r.result_hash,
    xmlBytes: Number(r.xml_bytes),
    compressedBytes: Number(r.compressed_bytes),
    compression: r.compression,
    archivePath: r.archive_path ?? null,
    createdAt: new Date(Number(r.created_at)),
  };
}

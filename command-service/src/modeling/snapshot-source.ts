import { gunzipSync } from 'node:zlib';
import type pg from 'pg';

/** A stored snapshot: the canonical XML of one version. */
export interface SnapshotAtVersion {
  version: number;
  xml: string;
}

/**
 * Where a diagram this process has never seen can start from (snapshotter/): the latest
 * snapshot at or below a version. The command path then replays the ledger's tail on it.
 */
export interface SnapshotSource {
  latest(tenantId: string, diagramId: string, atMost: number): Promise<SnapshotAtVersion | undefined>;
}

/**
 * Reads the snapshotter's `snapshots` table (snapshotter/migrations). Before the snapshotter has
 * ever run the table does not exist: then there is no snapshot, not an error.
 */
export function createPostgresSnapshotSource(pool: pg.Pool): SnapshotSource {
  return {
    async latest(tenantId, diagramId, atMost) {
      try {
        const { rows } = await pool.query<{ version: string; xml_gz: Buffer }>(
          `SELECT version, xml_gz FROM snapshots WHERE tenant_id = $1 AND diagram_id = $2 AND version <= $3
           ORDER BY version DESC LIMIT 1`,
          [tenantId, diagramId, atMost],
        );
        const row = rows[0];
        return row && { version: Number(row.version), xml: gunzipSync(row.xml_gz).toString('utf8') };
      } catch (error) {
        if ((error as { code?: string }).code === '42P01') return undefined; // undefined_table
        throw error;
      }
    },
  };
}

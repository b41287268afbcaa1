import type { Pool } from 'pg';
import { inTransaction } from '@flowledger/ledger';

/** One stored snapshot, as the `snapshots` table keeps it. */
export interface StoredSnapshot {
  tenantId: string;
  diagramId: string;
  version: number;
  resultHash: string;
  bytes: number;
  compressedBytes: number;
  xmlGz: Buffer;
  archivePath: string | null;
  createdAt: Date;
}

export type NewSnapshot = Omit<StoredSnapshot, 'createdAt'>;

export interface SnapshotProgress {
  appliedVersion: number;
  lastSnapshotVersion: number;
}

/** The snapshotter's Postgres tables (`migrations/001_snapshots.sql`). */
export interface SnapshotStore {
  progress(projectionVersion: number, tenantId: string, diagramId: string): Promise<SnapshotProgress>;
  /**
   * In one transaction: the snapshot row when there is one (a re-delivered one is kept as it was)
   * and the diagram's progress. Returns the stored row, so callers announce what is really there.
   */
  record(
    projectionVersion: number,
    tenantId: string,
    diagramId: string,
    appliedVersion: number,
    snapshot: NewSnapshot | undefined,
  ): Promise<StoredSnapshot | undefined>;
  /** Moves the applied version of many diagrams forward in one statement (rebuild batches). */
  recordProgress(
    projectionVersion: number,
    applied: Array<{ tenantId: string; diagramId: string; version: number }>,
  ): Promise<void>;
  /**
   * After a rebuild of these tenants (undefined: all): each diagram's progress becomes what the
   * rebuild saw (also backwards: a restored, shorter stream), diagrams it did not see lose theirs.
   */
  replaceProgress(
    projectionVersion: number,
    tenants: string[] | undefined,
    applied: Array<{ tenantId: string; diagramId: string; version: number }>,
    /** Tenants whose progress stays as it is. */
    except?: string[],
  ): Promise<void>;
  /** The latest snapshot at or below `atMost` (default: any). */
  latest(tenantId: string, diagramId: string, atMost?: number): Promise<StoredSnapshot | undefined>;
  /** Each diagram's latest snapshot, in one query (a rebuild's start): diagrams without any are left out. */
  latestOfEach(diagrams: Array<{ tenantId: string; diagramId: string }>): Promise<StoredSnapshot[]>;
  list(tenantId: string, diagramId?: string): Promise<StoredSnapshot[]>;
  unannounced(limit: number): Promise<StoredSnapshot[]>;
  markAnnounced(s: Pick<StoredSnapshot, 'tenantId' | 'diagramId' | 'version'>): Promise<void>;
  /** Deletes the rows and progress of a tenant, or of everyone. */
  reset(tenantId?: string): Promise<void>;
  /** Runs `work` holding a lock of this name shared by every process on the database (waits for it). */
  exclusively<T>(name: 'announce', work: () => Promise<T>): Promise<T>;
  /** The database's clock: where a rebuild begins (`sweep`). */
  now(): Promise<Date>;
  /**
   * A rebuild's snapshots in one statement: new rows inserted, existing ones written again
   * (kept announced when their hash is unchanged). Returns how many are unannounced.
   */
  rewrite(snapshots: NewSnapshot[]): Promise<number>;
  /**
   * Marks each diagram's snapshots up to a version as written now, so `sweep` keeps them: a
   * rebuild that started the diagram from its latest snapshot replays only what follows it.
   */
  keep(upTo: { tenantId: string; diagramId: string; version: number }[]): Promise<void>;
  /**
   * Deletes the rows of these tenants (undefined: all) last written before `writtenBefore` —
   * after a rebuild that began then, the snapshots it did not write again. Returns their archive paths.
   */
  sweep(tenants: string[] | undefined, writtenBefore: Date, except?: string[]): Promise<string[]>;
}

/** 'snap' in ASCII: the class (first key) of the snapshotter's advisory locks. */
const SNAPSHOTTER_LOCK_CLASS = 0x736e6170;

const COLUMNS =
  'tenant_id, diagram_id, version, result_hash, bytes, compressed_bytes, xml_gz, archive_path, created_at';

export function createSnapshotStore(pool: Pool): SnapshotStore {
  let queue: Promise<void> = Promise.resolve();
  return {
    async progress(projectionVersion, tenantId, diagramId) {
      const { rows } = await pool.query<{ applied_version: string; last_snapshot_version: string }>(
        `SELECT applied_version, last_snapshot_version FROM snapshot_progress
         WHERE projection_version = $1 AND tenant_id = $2 AND diagram_id = $3`,
        [projectionVersion, tenantId, diagramId],
      );
      const r = rows[0];
      return r
        ? { appliedVersion: Number(r.applied_version), lastSnapshotVersion: Number(r.last_snapshot_version) }
        : { appliedVersion: 0, lastSnapshotVersion: 0 };
    },

    async record(projectionVersion, tenantId, diagramId, appliedVersion, snapshot) {
      return inTransaction(pool, async (client) => {
        let stored: StoredSnapshot | undefined;
        if (snapshot) {
          await client.query(
            `INSERT INTO snapshots (tenant_id, diagram_id, version, result_hash, bytes, compressed_bytes, xml_gz, archive_path)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, diagram_id, version) DO NOTHING`,
            [
              tenantId,
              diagramId,
              snapshot.version,
              snapshot.resultHash,
              snapshot.bytes,
              snapshot.compressedBytes,
              snapshot.xmlGz,
              snapshot.archivePath,
            ],
          );
          const { rows } = await client.query<SnapshotRow>(
            `SELECT ${COLUMNS} FROM snapshots WHERE tenant_id = $1 AND diagram_id = $2 AND version = $3`,
            [tenantId, diagramId, snapshot.version],
          );
          stored = fromRow(rows[0]!);
        }
        await client.query(
          `INSERT INTO snapshot_progress (projection_version, tenant_id, diagram_id, applied_version, last_snapshot_version)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (projection_version, tenant_id, diagram_id) DO UPDATE
             SET applied_version = GREATEST(snapshot_progress.applied_version, EXCLUDED.applied_version),
                 last_snapshot_version = GREATEST(snapshot_progress.last_snapshot_version, EXCLUDED.last_snapshot_version)`,
          [projectionVersion, tenantId, diagramId, appliedVersion, snapshot?.version ?? 0],
        );
        return stored;
      });
    },

    async recordProgress(projectionVersion, applied) {
      if (applied.length === 0) return;
      await pool.query(
        `INSERT INTO snapshot_progress (projection_version, tenant_id, diagram_id, applied_version)
         SELECT $1, t, d, v FROM unnest($2::text[], $3::text[], $4::bigint[]) AS a(t, d, v)
         ON CONFLICT (projection_version, tenant_id, diagram_id) DO UPDATE
           SET applied_version = GREATEST(snapshot_progress.applied_version, EXCLUDED.applied_version)`,
        [
          projectionVersion,
          applied.map((a) => a.tenantId),
          applied.map((a) => a.diagramId),
          applied.map((a) => a.version),
        ],
      );
    },

    async replaceProgress(projectionVersion, tenants, applied, except = []) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `DELETE FROM snapshot_progress p WHERE projection_version = $1 AND ($2::text[] IS NULL OR tenant_id = ANY($2))
             AND tenant_id <> ALL($5::text[])
             AND NOT EXISTS (SELECT 1 FROM unnest($3::text[], $4::text[]) AS a(t, d) WHERE a.t = p.tenant_id AND a.d = p.diagram_id)`,
          [projectionVersion, tenants ?? null, applied.map((a) => a.tenantId), applied.map((a) => a.diagramId), except],
        );
        await client.query(
          `INSERT INTO snapshot_progress (projection_version, tenant_id, diagram_id, applied_version, last_snapshot_version)
           SELECT $1, a.t, a.d, a.v, COALESCE((SELECT max(s.version) FROM snapshots s
                                               WHERE s.tenant_id = a.t AND s.diagram_id = a.d AND s.version <= a.v), 0)
           FROM unnest($2::text[], $3::text[], $4::bigint[]) AS a(t, d, v)
           ON CONFLICT (projection_version, tenant_id, diagram_id) DO UPDATE
             SET applied_version = EXCLUDED.applied_version, last_snapshot_version = EXCLUDED.last_snapshot_version`,
          [
            projectionVersion,
            applied.map((a) => a.tenantId),
            applied.map((a) => a.diagramId),
            applied.map((a) => a.version),
          ],
        );
      });
    },

    async latest(tenantId, diagramId, atMost) {
      const { rows } = await pool.query<SnapshotRow>(
        `SELECT ${COLUMNS} FROM snapshots
         WHERE tenant_id = $1 AND diagram_id = $2 AND ($3::bigint IS NULL OR version <= $3)
         ORDER BY version DESC LIMIT 1`,
        [tenantId, diagramId, atMost ?? null],
      );
      return rows[0] && fromRow(rows[0]);
    },

    async latestOfEach(diagrams) {
      if (diagrams.length === 0) return [];
      // Per diagram its newest row by the (tenant, diagram, version) index, as `latest` does.
      const { rows } = await pool.query<SnapshotRow>(
        `SELECT s.* FROM unnest($1::text[], $2::text[]) AS d(tenant, diagram)
         CROSS JOIN LATERAL (
           SELECT ${COLUMNS} FROM snapshots
            WHERE tenant_id = d.tenant AND diagram_id = d.diagram ORDER BY version DESC LIMIT 1) s`,
        [diagrams.map((d) => d.tenantId), diagrams.map((d) => d.diagramId)],
      );
      return rows.map(fromRow);
    },

    async list(tenantId, diagramId) {
      const { rows } = await pool.query<SnapshotRow>(
        `SELECT ${COLUMNS} FROM snapshots WHERE tenant_id = $1 AND ($2::text IS NULL OR diagram_id = $2)
         ORDER BY diagram_id, version`,
        [tenantId, diagramId ?? null],
      );
      return rows.map(fromRow);
    },

    async unannounced(limit) {
      const { rows } = await pool.query<SnapshotRow>(
        `SELECT ${COLUMNS} FROM snapshots WHERE announced_at IS NULL ORDER BY created_at LIMIT $1`,
        [limit],
      );
      return rows.map(fromRow);
    },

    async markAnnounced({ tenantId, diagramId, version }) {
      await pool.query(
        'UPDATE snapshots SET announced_at = now() WHERE tenant_id = $1 AND diagram_id = $2 AND version = $3',
        [tenantId, diagramId, version],
      );
    },

    exclusively(name, work) {
      // Within the process first, so that waiters do not each hold a pooled connection.
      const run = queue.then(async () => {
        const client = await pool.connect();
        let broken = false;
        const key = [SNAPSHOTTER_LOCK_CLASS, name];
        try {
          await client.query('SELECT pg_advisory_lock($1, hashtext($2))', key);
          try {
            return await work();
          } finally {
            await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', key).catch(() => {
              broken = true; // closing the session lets go of the lock
            });
          }
        } finally {
          client.release(broken);
        }
      });
      queue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },

    async now() {
      const { rows } = await pool.query<{ now: Date }>('SELECT now() AS now');
      return rows[0]!.now;
    },

    async rewrite(snapshots) {
      if (snapshots.length === 0) return 0;
      const column = <K extends keyof NewSnapshot>(key: K) => snapshots.map((s) => s[key]);
      const { rows } = await pool.query<{ unannounced: boolean }>(
        `INSERT INTO snapshots AS s (tenant_id, diagram_id, version, result_hash, bytes, compressed_bytes, xml_gz, archive_path)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::int[], $7::bytea[], $8::text[])
         ON CONFLICT (tenant_id, diagram_id, version) DO UPDATE
           SET result_hash = EXCLUDED.result_hash, bytes = EXCLUDED.bytes, compressed_bytes = EXCLUDED.compressed_bytes,
               xml_gz = EXCLUDED.xml_gz, archive_path = EXCLUDED.archive_path, written_at = now(),
               announced_at = CASE WHEN s.result_hash = EXCLUDED.result_hash THEN s.announced_at END
         RETURNING announced_at IS NULL AS unannounced`,
        [
          column('tenantId'),
          column('diagramId'),
          column('version'),
          column('resultHash'),
          column('bytes'),
          column('compressedBytes'),
          column('xmlGz'),
          column('archivePath'),
        ],
      );
      return rows.filter((r) => r.unannounced).length;
    },

    async keep(upTo) {
      if (upTo.length === 0) return;
      await pool.query(
        `UPDATE snapshots s SET written_at = now()
         FROM unnest($1::text[], $2::text[], $3::bigint[]) AS k(tenant_id, diagram_id, version)
         WHERE s.tenant_id = k.tenant_id AND s.diagram_id = k.diagram_id AND s.version <= k.version`,
        [upTo.map((k) => k.tenantId), upTo.map((k) => k.diagramId), upTo.map((k) => k.version)],
      );
    },

    async sweep(tenants, writtenBefore, except = []) {
      const { rows } = await pool.query<{ archive_path: string | null }>(
        `DELETE FROM snapshots WHERE written_at < $1 AND ($2::text[] IS NULL OR tenant_id = ANY($2))
           AND tenant_id <> ALL($3::text[])
         RETURNING archive_path`,
        [writtenBefore, tenants ?? null, except],
      );
      return rows.flatMap((r) => (r.archive_path ? [r.archive_path] : []));
    },

    async reset(tenantId) {
      await inTransaction(pool, async (client) => {
        await client.query('DELETE FROM snapshots WHERE $1::text IS NULL OR tenant_id = $1', [tenantId ?? null]);
        await client.query('DELETE FROM snapshot_progress WHERE $1::text IS NULL OR tenant_id = $1', [
          tenantId ?? null,
        ]);
      });
    },
  };
}

interface SnapshotRow {
  tenant_id: string;
  diagram_id: string;
  version: string;
  result_hash: string;
  bytes: number;
  compressed_bytes: number;
  xml_gz: Buffer;
  archive_path: string | null;
  created_at: Date;
}

function fromRow(r: SnapshotRow): StoredSnapshot {
  return {
    tenantId: r.tenant_id,
    diagramId: r.diagram_id,
    version: Number(r.version),
    resultHash: r.result_hash,
    bytes: r.bytes,
    compressedBytes: r.compressed_bytes,
    xmlGz: r.xml_gz,
    archivePath: r.archive_path,
    createdAt: r.created_at,
  };
}

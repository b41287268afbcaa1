import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import neo4j, { type Driver } from 'neo4j-driver';
import { loadStackConfig } from '@flowledger/config';
import { currentLabels, type GraphLabels } from '../../../projectors/src/neo4j/index.js';
import { storedGraph, type ComparableGraph } from '../neo4j/support/stored-graph.js';

const stack = loadStackConfig();
/** The snapshotter's projection version (snapshotter/src/snapshot-projection.ts). */
const SNAPSHOT_PROJECTION_VERSION = 1;

/** Where the live read models are at for one diagram. */
export interface AppliedVersions {
  postgres: number;
  neo4j: number;
  snapshots: number;
}

export interface PostgresDiagram {
  appliedVersion: number;
  resultHash: string;
  elementCount: number;
  flowCount: number;
  elements: { id: string; type: string; name: string | null }[];
  flows: { id: string; type: string; source: string | null; target: string | null }[];
  versions: number[];
}

/**
 * The read models the running stack's own processes (`projectors`, `snapshotter`) write, read as
 * their owner would: Postgres through the `read_model` views, Neo4j under the serving labels.
 * For assertions only; tenants read through the Query API.
 */
export class LiveReadModels {
  readonly pool = new pg.Pool({ connectionString: stack.postgres.url, max: 4 });
  readonly driver: Driver = neo4j.driver(stack.neo4j.url, neo4j.auth.basic(stack.neo4j.username, stack.neo4j.password));

  /** The labels the graph queries read now: the active projection version at its current generation. */
  async servingLabels(): Promise<GraphLabels> {
    const { records } = await this.driver.executeQuery(
      `MATCH (p:GraphProjection {name: 'neo4j'}) RETURN p.active_version AS v`,
      {},
      { routing: neo4j.routing.READ },
    );
    const v = records[0]?.get('v') as { toNumber(): number } | number | undefined;
    return currentLabels(this.driver, v === undefined ? 1 : typeof v === 'number' ? v : v.toNumber());
  }

  /** The schema holding the active Postgres projection version's tables (what the `read_model` views read). */
  async postgresSchema(): Promise<string> {
    const { rows } = await this.pool.query<{ schema_name: string }>(
      `SELECT schema_name FROM read_model.projection_versions WHERE state = 'active'`,
    );
    return rows[0]!.schema_name;
  }

  async applied(tenantId: string, diagramId: string): Promise<AppliedVersions> {
    const pgRow = await this.pool.query<{ v: string }>(
      'SELECT applied_version AS v FROM read_model.diagrams WHERE tenant_id = $1 AND diagram_id = $2',
      [tenantId, diagramId],
    );
    const snapRow = await this.pool.query<{ v: string }>(
      `SELECT applied_version AS v FROM snapshot_progress
       WHERE projection_version = $1 AND tenant_id = $2 AND diagram_id = $3`,
      [SNAPSHOT_PROJECTION_VERSION, tenantId, diagramId],
    );
    const labels = await this.servingLabels();
    const { records } = await this.driver.executeQuery(
      `MATCH (d:${labels.diagram} {tenant_id: $t, diagram_id: $d}) RETURN d.applied_version AS v`,
      { t: tenantId, d: diagramId },
      { routing: neo4j.routing.READ },
    );
    const graphVersion = records[0]?.get('v') as { toNumber(): number } | undefined;
    return {
      postgres: Number(pgRow.rows[0]?.v ?? 0),
      neo4j: graphVersion?.toNumber() ?? 0,
      snapshots: Number(snapRow.rows[0]?.v ?? 0),
    };
  }

  /** Waits until every live read model has applied at least `version` of the diagram. */
  async waitForAll(tenantId: string, diagramId: string, version: number, timeoutMs = 90_000): Promise<AppliedVersions> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = await this.applied(tenantId, diagramId);
      if (Math.min(at.postgres, at.neo4j, at.snapshots) >= version) return at;
      if (Date.now() > deadline) {
        throw new Error(`live read models did not reach ${tenantId}/${diagramId} v${version}: ${JSON.stringify(at)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async postgresDiagram(tenantId: string, diagramId: string): Promise<PostgresDiagram | undefined> {
    const args = [tenantId, diagramId];
    const diagram = await this.pool.query<{
      applied_version: string;
      result_hash: string;
      element_count: number;
      flow_count: number;
    }>(
      `SELECT applied_version, result_hash, element_count, flow_count FROM read_model.diagrams
       WHERE tenant_id = $1 AND diagram_id = $2`,
      args,
    );
    const row = diagram.rows[0];
    if (!row) return undefined;
    const elements = await this.pool.query<{ id: string; type: string; name: string | null }>(
      `SELECT element_id AS id, element_type AS type, name FROM read_model.elements
       WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY element_id COLLATE "C"`,
      args,
    );
    const flows = await this.pool.query<{ id: string; type: string; source: string | null; target: string | null }>(
      `SELECT flow_id AS id, flow_type AS type, source_id AS source, target_id AS target FROM read_model.flows
       WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY flow_id COLLATE "C"`,
      args,
    );
    const versions = await this.pool.query<{ version: string }>(
      'SELECT version FROM read_model.versions WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version',
      args,
    );
    return {
      appliedVersion: Number(row.applied_version),
      resultHash: row.result_hash,
      elementCount: row.element_count,
      flowCount: row.flow_count,
      elements: elements.rows,
      flows: flows.rows,
      versions: versions.rows.map((r) => Number(r.version)),
    };
  }

  async graph(tenantId: string, diagramId: string): Promise<ComparableGraph> {
    return storedGraph(this.driver, tenantId, diagramId, await this.servingLabels());
  }

  /** The snapshotter's XML of that version (Postgres row, gunzipped), undefined when it made none. */
  async snapshotXml(tenantId: string, diagramId: string, version: number): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ xml_gz: Buffer }>(
      'SELECT xml_gz FROM snapshots WHERE tenant_id = $1 AND diagram_id = $2 AND version = $3',
      [tenantId, diagramId, version],
    );
    return rows[0] && gunzipSync(rows[0].xml_gz).toString('utf8');
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.driver.close();
  }
}

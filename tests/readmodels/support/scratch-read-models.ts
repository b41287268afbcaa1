import pg from 'pg';
import neo4j, { type Driver } from 'neo4j-driver';
import { loadStackConfig } from '@flowledger/config';
import { createLedger } from '@flowledger/ledger';
import {
  replayEvent,
  startProjector,
  type Projection,
  type ProjectorLogger,
  type ProjectorOptions,
  type RunningProjector,
} from '@flowledger/projection';
import {
  currentLabels,
  dropGraphSchema,
  graphLabels,
  openNeo4jReadModel,
  type Neo4jReadModel,
} from '../../../projectors/src/neo4j/index.js';
import { resetStatements } from '../../../projectors/src/neo4j/store/graph-writes.js';
import { createPostgresProjection } from '../../../projectors/src/postgres/postgres-projection.js';
import { verifyPostgresDiagram } from '../../../projectors/src/postgres/read-model-content.js';
import { TEST_PROJECTOR_TIMING } from '../../support/test-projector-timing.js';

export const stack = loadStackConfig();
/** The Postgres read model's tenant-role secret in scratch projections (no query service logs in with it). */
const SCRATCH_TENANT_SECRET = 'scratch-secret-0123456789';
const random = () => Math.floor(Math.random() * 1_000_000);

/** What names a test's scratch read models; a child process given the same opens the same ones. */
export interface ScratchNames {
  postgresVersion: number;
  neo4jVersion: number;
  namespace: string;
}

/**
 * Read models of their own for one test file on the shared stack: Postgres projection versions
 * no projector runs (and a namespace of views of their own, so activating one never touches
 * `read_model`), a Neo4j projection version with its own serving record, live projectors that
 * hold only the test's tenants — and everything dropped at the end.
 */
export class ScratchReadModels {
  readonly pool = new pg.Pool({ connectionString: stack.postgres.url, max: 6 });
  readonly driver: Driver = neo4j.driver(stack.neo4j.url, neo4j.auth.basic(stack.neo4j.username, stack.neo4j.password));
  readonly ledger = createLedger({ pool: this.pool });
  readonly postgresVersion: number;
  readonly neo4jVersion: number;
  readonly namespace: string;
  readonly servingName: string;

  constructor(
    names: ScratchNames = {
      postgresVersion: 200_000 + random(),
      neo4jVersion: 20_000 + (random() % 10_000),
      namespace: `rm_test_${random()}`,
    },
  ) {
    ({ postgresVersion: this.postgresVersion, neo4jVersion: this.neo4jVersion, namespace: this.namespace } = names);
    this.servingName = `test-${this.namespace}`;
  }

  /** For a child process: `ScratchReadModels.fromEnv()` there opens these read models. */
  env(): Record<string, string> {
    return {
      FLOWLEDGER_TEST_POSTGRES_VERSION: String(this.postgresVersion),
      FLOWLEDGER_TEST_NEO4J_VERSION: String(this.neo4jVersion),
      FLOWLEDGER_TEST_NAMESPACE: this.namespace,
    };
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): ScratchReadModels {
    const value = (name: string) => {
      if (!env[name]) throw new Error(`scratch read models: ${name} is not set`);
      return env[name];
    };
    return new ScratchReadModels({
      postgresVersion: Number(value('FLOWLEDGER_TEST_POSTGRES_VERSION')),
      neo4jVersion: Number(value('FLOWLEDGER_TEST_NEO4J_VERSION')),
      namespace: value('FLOWLEDGER_TEST_NAMESPACE'),
    });
  }

  /** The Postgres projection of `version` (default the scratch one), its views in the scratch namespace. */
  postgresProjection(version = this.postgresVersion, extra: { freezeWaitMs?: number } = {}): Promise<Projection> {
    return createPostgresProjection({
      pool: this.pool,
      version,
      tenantSecret: SCRATCH_TENANT_SECRET,
      namespace: this.namespace,
      ...extra,
    });
  }

  /** The graph read model of `version` (default the scratch one) under the scratch serving record; the caller closes it. */
  graphReadModel(
    version = this.neo4jVersion,
    extra: { freezeWaitMs?: number; dropDelayMs?: number } = {},
  ): Promise<Neo4jReadModel> {
    return openNeo4jReadModel({ ...stack.neo4j, projectionVersion: version, servingName: this.servingName, ...extra });
  }

  /** A live projector of `projection` over one tenant's topic (or `tenants`'), checking its lag every half second. */
  startLive(
    projection: Projection,
    scope:
      | string
      | ({ tenants: string[]; logger?: ProjectorLogger } & Pick<
          ProjectorOptions,
          'changeNotices' | 'sweepIntervalMs' | 'discoveryIntervalMs'
        >),
  ): Promise<RunningProjector> {
    const { tenants, ...rest } = typeof scope === 'string' ? { tenants: [scope] } : scope;
    return startProjector({
      ...TEST_PROJECTOR_TIMING,
      ...rest,
      projection,
      brokers: stack.kafka.brokers,
      registryUrl: stack.schemaRegistry.url,
      ledger: this.ledger,
      tenants,
    });
  }

  async waitApplied(projections: Projection[], tenantId: string, diagramId: string, version: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const applied = await Promise.all(projections.map((p) => p.sink.appliedVersion(tenantId, diagramId)));
      if (applied.every((v) => v >= version)) return;
      if (Date.now() > deadline) throw new Error(`scratch read models at ${applied.join(', ')}, not v${version}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async postgresSchema(version = this.postgresVersion): Promise<string> {
    const { rows } = await this.pool.query<{ schema_name: string }>(
      `SELECT schema_name FROM ${this.namespace}.projection_versions WHERE version = $1`,
      [version],
    );
    return rows[0]!.schema_name;
  }

  async schemaExists(schema: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return rows.length > 0;
  }

  async neo4jGeneration(version = this.neo4jVersion): Promise<number> {
    return (await currentLabels(this.driver, version, this.servingName)).generation;
  }

  async nodesUnder(label: string): Promise<number> {
    const { records } = await this.driver.executeQuery(`MATCH (n:${label}) RETURN count(n) AS n`);
    return (records[0]!.get('n') as { toNumber(): number }).toNumber();
  }

  /** The labels the scratch graph serves under now (its current generation). */
  servingLabels(version = this.neo4jVersion) {
    return currentLabels(this.driver, version, this.servingName);
  }

  async renameNode(graph: Neo4jReadModel, tenantId: string, diagramId: string, elementId: string, name: string) {
    const labels = await currentLabels(this.driver, graph.projection.version, this.servingName);
    await this.driver.executeQuery(
      `MATCH (n:${labels.element} {tenant_id: $t, diagram_id: $d, element_id: $id}) SET n.name = $name`,
      { t: tenantId, d: diagramId, id: elementId, name },
    );
  }

  /** What `verify` would report for the diagram: both read models against a replay of the ledger. */
  async differences(postgres: Projection, graph: Neo4jReadModel, tenantId: string, diagramId: string) {
    const events = await this.ledger.readEvents(tenantId, diagramId, 1);
    let diagram;
    for (const e of events) diagram = (await replayEvent(diagram, e, { verify: true })).diagram;
    const schema = await this.postgresSchema(postgres.version);
    return [
      ...(await verifyPostgresDiagram(this.pool, schema, tenantId, diagramId, { diagram: diagram!, events })),
      ...(await graph.verifyDiagram(tenantId, diagramId, diagram!, events.at(-1)!.version)),
    ];
  }

  async cleanUp(): Promise<void> {
    const { rows } = await this.pool.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname = $1 OR nspname LIKE $2`,
      [this.namespace, `rm\\_postgres\\_v${this.postgresVersion}%`],
    );
    for (const { nspname } of rows) await this.pool.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
    const session = this.driver.session();
    try {
      const labelSets = [1, 2, 3, 4].map((g) => graphLabels(this.neo4jVersion, g));
      for (const labels of labelSets) {
        for (const s of resetStatements(labels)) await session.run(s.text, s.params);
        await dropGraphSchema(this.driver, labels);
      }
      await session.run(
        'MATCH (p) WHERE (p:GraphProjection OR p:GraphProjectionVersion) AND p.name = $name DETACH DELETE p',
        { name: this.servingName },
      );
    } finally {
      await session.close();
    }
    await this.pool.end();
    await this.driver.close();
  }
}

import pg from 'pg';
import neo4j, { type Driver } from 'neo4j-driver';
import type { Diagram } from '@flowledger/bpmn-operations';
import { loadStackConfig } from '@flowledger/config';
import { createLedger, type Ledger } from '@flowledger/ledger';
import { replayEvent, type ProjectedChange } from '@flowledger/projection';
import {
  createNeo4jGraphQueries,
  createNeo4jSink,
  ensureGraphSchema,
  graphLabels,
  type GraphQueries,
  type Neo4jSink,
} from '../../../../projectors/src/neo4j/index.js';

/**
 * The Neo4j read model against the running stack, fed the way the projector feeds it: events
 * as the command service stored them (the ledger is the topic's outbox: same events, same
 * order), replayed onto the previous version's diagram and checked against their hash.
 */
/**
 * The projection version the tests write: one no projector runs, so the live neo4j projector
 * (which also reads the test tenants' topics) never writes into what a test asserts on.
 */
export const TEST_PROJECTION_VERSION = 9000;
export const testLabels = graphLabels(TEST_PROJECTION_VERSION);

export interface Neo4jTestBed {
  driver: Driver;
  sink: Neo4jSink;
  queries: GraphQueries;
  ledger: Ledger;
  /** The changes of `diagramId` from `fromVersion` on, replayed (state carried between calls). */
  changesSince(tenantId: string, diagramId: string, fromVersion: number): Promise<ProjectedChange[]>;
  close(): Promise<void>;
}

export async function openNeo4jTestBed(): Promise<Neo4jTestBed> {
  const config = loadStackConfig();
  const driver = neo4j.driver(config.neo4j.url, neo4j.auth.basic(config.neo4j.username, config.neo4j.password));
  const labels = testLabels;
  await ensureGraphSchema(driver, labels);
  const pool = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
  const ledger = createLedger({ pool });
  const states = new Map<string, { version: number; diagram: Diagram }>();
  return {
    driver,
    sink: createNeo4jSink({ driver, labels }),
    queries: createNeo4jGraphQueries({ driver, labels }),
    ledger,
    async changesSince(tenantId, diagramId, fromVersion) {
      const key = `${tenantId}/${diagramId}`;
      const changes: ProjectedChange[] = [];
      for (const event of await ledger.readEvents(tenantId, diagramId, fromVersion)) {
        const state = states.get(key);
        if (event.version !== (state?.version ?? 0) + 1)
          throw new Error(`test bed: ${key} v${event.version} out of order`);
        const { diagram, xml } = await replayEvent(state?.diagram, event, { verify: true });
        states.set(key, { version: event.version, diagram });
        changes.push({ event, diagram, xml });
      }
      return changes;
    },
    async close() {
      await driver.close();
      await pool.end();
    },
  };
}

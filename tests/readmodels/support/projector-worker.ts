/**
 * A projectors process of a test's own, for crash tests: the Postgres and Neo4j projections of
 * the test's scratch read models (`ScratchReadModels.env()`), live over one tenant's topic, each
 * its own consumer group — as projectors/src/main.ts runs them, minus the Query API. With
 * FLOWLEDGER_CRASH_AT set it SIGKILLs itself at that point (@flowledger/crash-points).
 * Prints `ready` once both projectors run; SIGTERM stops it. Tenant: FLOWLEDGER_TEST_TENANT.
 */
import { ScratchReadModels } from './scratch-read-models.js';

const tenant = process.env.FLOWLEDGER_TEST_TENANT;
if (!tenant) throw new Error('projector-worker: FLOWLEDGER_TEST_TENANT is not set');
const scratch = ScratchReadModels.fromEnv();
const graph = await scratch.graphReadModel();
const projections = [await scratch.postgresProjection(), graph.projection];
const running = await Promise.all(projections.map((projection) => scratch.startLive(projection, tenant)));
console.log('ready');

process.once('SIGTERM', () => {
  void (async () => {
    await Promise.all(running.map((r) => r.stop().catch(() => undefined)));
    await graph.close();
    await scratch.pool.end();
    await scratch.driver.close();
    process.exit(0);
  })();
});

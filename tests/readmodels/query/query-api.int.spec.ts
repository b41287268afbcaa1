import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devToken, grpc } from '../../support/modeling-client.js';
import { flow, shape, task } from '../../support/proposal-operations.js';
import { QueryClient } from '../../support/query-client.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { adminPool, waitForProjection } from '../postgres/read-model-support.js';

const tenant = uniqueTenant('query-api');
const pool = adminPool();
const query = new QueryClient(devToken(tenant, 'carol', ['viewer']));
let diagramId: string;
let version: number;

beforeAll(async () => {
  const alice = clientFor(tenant, 'alice', ['editor']);
  const bob = clientFor(tenant, 'bob', ['editor']);
  ({ diagramId, version } = await alice.createDiagram('order handling'));
  for (const [client, ops] of [
    [alice, [shape('start', 'bpmn:StartEvent', 100), task('check', 200, 'Check order')]],
    [bob, [task('ship', 400, 'Ship'), shape('end', 'bpmn:EndEvent', 600)]],
  ] as const) {
    const r = await client.propose(diagramId, version, [...ops]);
    if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.message}`);
    version = r.applied.version;
  }
  const r = await bob.propose(diagramId, version, [
    flow('f1', 'StartEvent_2_1', 'Task_2_2'),
    flow('f2', 'Task_2_2', 'Task_3_1'),
  ]);
  if (r.result !== 'applied') throw new Error(`setup rejected: ${r.rejected.message}`);
  version = r.applied.version;
  await waitForProjection(pool, tenant, diagramId, version);
  alice.close();
  bob.close();
});

afterAll(async () => {
  query.close();
  await pool.end();
});

describe('Query API through Envoy, with a token', () => {
  it('GetDiagramStats: element counts by type, flows, lint density of the projected version', async () => {
    const stats = await query.call<{
      name: string;
      version: number;
      elementCounts: { type: string; count: number }[];
      flowCount: number;
      sequenceFlowCount: number;
      lintWarningCount: number;
      lintWarningDensity: number;
      elementCount: number;
    }>('GetDiagramStats', { diagramId });

    expect(stats).toMatchObject({ name: 'order handling', version, flowCount: 2, sequenceFlowCount: 2 });
    const byType = Object.fromEntries(stats.elementCounts.map((c) => [c.type, c.count]));
    expect(byType).toMatchObject({ 'bpmn:Task': 2, 'bpmn:StartEvent': 1, 'bpmn:EndEvent': 1, 'bpmn:SequenceFlow': 2 });
    const lint = await pool.query<{ n: number }>(
      'SELECT jsonb_array_length(lint_warnings) AS n FROM ledger_events WHERE tenant_id = $1 AND diagram_id = $2 AND version = $3',
      [tenant, diagramId, version],
    );
    expect(stats.lintWarningCount).toBe(lint.rows[0]!.n);
    expect(stats.lintWarningDensity).toBeCloseTo(lint.rows[0]!.n / stats.elementCount, 10);
  });

  it('GetVersionHistory: every version, who made it, how many operations', async () => {
    const history = await query.call<{
      versions: { version: number; actorId: string; operationCount: number; eventType: string }[];
    }>('GetVersionHistory', { diagramId });
    expect(history.versions.map((v) => [v.version, v.actorId, v.operationCount])).toEqual([
      [1, 'alice', 1],
      [2, 'alice', 2],
      [3, 'bob', 2],
      [4, 'bob', 2],
    ]);
    expect(history.versions[0]!.eventType).toBe('DIAGRAM_CREATED');
  });

  it('GetActivity: edits per actor per day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const { activity } = await query.call<{
      activity: { actorId: string; day: string; edits: number; diagrams: number }[];
    }>('GetActivity', { fromDay: today, toDay: today });
    expect(activity).toEqual([
      { actorId: 'alice', day: today, edits: 2, diagrams: 1 },
      { actorId: 'bob', day: today, edits: 2, diagrams: 1 },
    ]);
  });

  it('refuses a call without a token (UNAUTHENTICATED at the edge) and a bad argument', async () => {
    const anonymous = new QueryClient(undefined);
    await expect(anonymous.call('GetDiagramStats', { diagramId })).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
    anonymous.close();
    await expect(query.call('GetActivity', { fromDay: 'yesterday' })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
    await expect(query.call('GetDiagramStats', { diagramId: 'no-such-diagram' })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });
});

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyOperations,
  canonicalHash,
  DEFAULT_OPERATION_LIMITS,
  parseDiagram,
  serializeDiagram,
  type Operation,
} from '@flowledger/bpmn-operations';
import { loadStackConfig } from '@flowledger/config';
import { devToken, ModelingClient, randomTx } from '../../support/modeling-client.js';
import { startCommandService, type CommandServiceProcess } from '../../support/command-service-process.js';
import { openTopicReader, type TopicReader } from './support/diagram-topic.js';
import { addTask, createDiagramWithRetry, proposeWithRetry } from './support/proposals.js';

// DESIGN.md §5 invariant 6 through the real service: a rejected proposal changes nothing
// anywhere — no ledger row, no topic record, the same version, and no trace in the service's
// in-memory model (several of these proposals change the cached model before they fail).
const tenant = `t${randomUUID().slice(0, 8)}`;
let service: CommandServiceProcess;
let client: ModelingClient;
let topic: TopicReader;
let pool: pg.Pool;

beforeAll(async () => {
  // A process of its own, so the cache under test is surely the one that saw every rejection.
  service = await startCommandService('invariants-rejected');
  client = new ModelingClient(devToken(tenant, 'ada', ['editor']), { address: service.address });
  topic = openTopicReader('invariants-rejected');
  pool = new pg.Pool({ connectionString: loadStackConfig().postgres.url, max: 2 });
}, 120_000);

afterAll(async () => {
  client?.close();
  await topic?.close();
  await pool?.end();
  await service?.stop();
});

const rename = (elementId: string, name: string): Operation => ({
  kind: 'updateProperties',
  elementId,
  properties: { name },
});
const flow = (id: string, sourceId: string, targetId: string): Operation => ({
  kind: 'createConnection',
  id,
  type: 'bpmn:SequenceFlow',
  sourceId,
  targetId,
  waypoints: [],
  name: '',
});

describe('a rejected proposal', () => {
  it('leaves ledger, topic, version and the in-memory model as they were; the next valid proposal applies on top', async () => {
    // given a diagram at version 2 with one task, read once so this process has it cached
    const { diagramId } = await createDiagramWithRetry(client, 'rejections');
    const v2 = await proposeWithRetry(client, diagramId, 1, addTask(1, 'first'));
    if (v2.result !== 'applied') throw new Error(JSON.stringify(v2));
    const taskId = v2.applied.idMap.first!;
    const before = await client.getDiagram(diagramId);
    expect(before.version).toBe(2);

    // when proposals are rejected for each kind of reason — most after changing the model part-way
    const cases: Array<{ code: string; base: number; operations: Operation[] }> = [
      { code: 'VERSION_MISMATCH', base: 1, operations: addTask(2) },
      { code: 'INVALID_OPERATION', base: 2, operations: [rename(taskId, 'renamed'), rename('no-such-element', 'x')] },
      {
        code: 'INVALID_OPERATION',
        base: 2,
        operations: [{ kind: 'deleteElements', elementIds: [taskId] }, rename(taskId, 'gone')],
      },
      {
        code: 'LINT_ERROR', // no-duplicate-sequence-flows, found only after every operation was applied
        base: 2,
        operations: [
          ...addTask(3, 'a'),
          ...addTask(4, 'b'),
          flow('f1', 'a', 'b'),
          flow('f2', 'a', 'b'),
          rename(taskId, 'linted'),
        ],
      },
      {
        code: 'LIMIT_EXCEEDED',
        base: 2,
        operations: [rename(taskId, 'x'.repeat(DEFAULT_OPERATION_LIMITS.maxStringLength + 1))],
      },
      { code: 'INVALID_OPERATION', base: 2, operations: [] },
    ];
    const rejectedTxs: string[] = [];
    for (const c of cases) {
      const tx = randomTx();
      rejectedTxs.push(tx);
      const r = await proposeWithRetry(client, diagramId, c.base, c.operations, tx);
      expect(r.result === 'rejected' && r.rejected.code, JSON.stringify(r)).toBe(`REJECT_CODE_${c.code}`);
      // (refusals decided before the diagram is loaded — limits, no operations — report version 0)
      if (r.result === 'rejected' && c.operations.length > 0 && c.code !== 'LIMIT_EXCEEDED')
        expect(r.rejected.currentVersion).toBe(2);
    }
    const unknownDiagram = await proposeWithRetry(client, `no-such-${diagramId}`, 1, addTask(9));
    expect(unknownDiagram.result === 'rejected' && unknownDiagram.rejected.code).toBe('REJECT_CODE_NOT_FOUND');

    // then nothing changed: the service's answers, the ledger's rows, the topic's records
    expect(await client.getDiagram(diagramId)).toEqual(before);
    expect((await client.listVersions(diagramId)).versions.map((v) => v.version)).toEqual([1, 2]);
    const rows = await pool.query(
      `SELECT (SELECT count(*)::int FROM ledger_events WHERE tenant_id = $1 AND transaction_id = ANY($2)) AS rejected_rows,
              (SELECT count(*)::int FROM ledger_events WHERE tenant_id = $1) AS tenant_rows,
              (SELECT count(*)::int FROM diagrams WHERE tenant_id = $1) AS diagrams,
              (SELECT current_version::int FROM diagrams WHERE tenant_id = $1 AND diagram_id = $3) AS current_version`,
      [tenant, rejectedTxs, diagramId],
    );
    expect(rows.rows[0]).toEqual({ rejected_rows: 0, tenant_rows: 2, diagrams: 1, current_version: 2 });
    expect((await topic.readAll(tenant)).map((r) => r.event.version)).toEqual([1, 2]);

    // when a valid proposal follows on the same base — reusing a rejected transaction id, which left no trace
    const next: Operation[] = [
      rename(taskId, 'renamed for real'),
      ...addTask(5, 'second'),
      flow('f', 'first', 'second'),
    ];
    const v3 = await proposeWithRetry(client, diagramId, 2, next.map(resolve({ first: taskId })), rejectedTxs[1]);

    // then it is version 3, and the diagram is exactly version 2 plus this change (nothing of the rejected ones)
    if (v3.result !== 'applied') throw new Error(JSON.stringify(v3));
    expect(v3.applied.version).toBe(3);
    const expected = await parseDiagram(before.xml);
    const change = await applyOperations(expected, next.map(resolve({ first: taskId })), {
      version: 3,
      limits: DEFAULT_OPERATION_LIMITS,
    });
    const expectedXml = await serializeDiagram(expected);
    const after = await client.getDiagram(diagramId);
    expect(after.version).toBe(3);
    expect(after.xml).toBe(expectedXml);
    expect(v3.applied.idMap).toEqual(change.idMap);
    expect(after.xml).not.toMatch(/renamed"|linted|gone|Task 2"|Task 3"|Task 4"/);

    // and ledger and topic hold versions 1..3, the third with the result's hash
    expect((await client.listVersions(diagramId)).versions.map((v) => v.version)).toEqual([1, 2, 3]);
    const records = await topic.readAll(tenant);
    expect(records.map((r) => r.event.version)).toEqual([1, 2, 3]);
    expect(records[2]!.event.resultHash).toBe(canonicalHash(expectedXml));
  });
});

/** Replaces ids the client already knows the permanent form of (ids from earlier proposals). */
function resolve(known: Record<string, string>) {
  return (op: Operation): Operation =>
    op.kind === 'createConnection'
      ? { ...op, sourceId: known[op.sourceId] ?? op.sourceId, targetId: known[op.targetId] ?? op.targetId }
      : op;
}

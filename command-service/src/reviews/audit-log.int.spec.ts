import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandService, type CommandServiceProcess } from '../../../tests/support/command-service-process.js';
import { auditRecords } from '../../../tests/support/audit-topic.js';
import { devToken, ModelingClient, randomTx } from '../../../tests/support/modeling-client.js';
import { rename, task } from '../../../tests/support/proposal-operations.js';
import { ReviewClient, type AuditEntryWire } from '../../../tests/support/review-client.js';
import { clientFor, uniqueTenant } from '../../../tests/support/test-tenant.js';

// The audit log of DESIGN.md §8: every submission, decision and application names who, what,
// when and which run — in ReviewService.ListAuditEntries and, as Avro through the schema
// registry, on flowledger.<tenant>.audit. Given one agent's two runs on two diagrams: an
// approved and applied proposal, a rejected one, one whose element was deleted before approval,
// and one still waiting.
const tenant = uniqueTenant('audit');
const [runA, runB] = [`run-a-${randomUUID()}`, `run-b-${randomUUID()}`];
const started = Date.now();

let service: CommandServiceProcess;
let rita: ReviewClient;
let clients: ModelingClient[] = [];
const ids = { d1: '', d2: '', approved: '', rejected: '', failed: '', waiting: '' };

beforeAll(async () => {
  service = await startCommandService('audit-log', {
    FLOWLEDGER_AGENT_REVIEW_POLICY: JSON.stringify({ [tenant]: 'review' }),
  });
  const alice = clientFor(tenant, 'alice', ['editor'], service.address);
  const agent = (run: string) =>
    new ModelingClient(devToken(tenant, 'planner-bot', ['agent']), {
      address: service.address,
      headers: { 'x-run-id': run },
    });
  const [botA, botB] = [agent(runA), agent(runB)];
  clients = [alice, botA, botB];
  rita = new ReviewClient(devToken(tenant, 'rita', ['reviewer']), { address: service.address });
  const reviewOf = async (answer: ReturnType<ModelingClient['propose']>) => {
    const a = await answer;
    if (a.result !== 'rejected' || !a.rejected.reviewId) throw new Error(`setup: ${JSON.stringify(a)}`);
    return a.rejected.reviewId;
  };

  ids.d1 = (await alice.createDiagram('Audited')).diagramId;
  ids.approved = await reviewOf(botA.propose(ids.d1, 1, [task('t', 100, 'Check order')]));
  const approval = await rita.approve(ids.approved, randomTx());
  if (approval.result !== 'applied') throw new Error(`setup: ${JSON.stringify(approval)}`);
  const taskId = approval.applied.idMap['t']!;
  ids.rejected = await reviewOf(botB.propose(ids.d1, 2, [task('u', 300, 'Skip checks')]));
  await rita.reject(ids.rejected, 'checks are mandatory');
  ids.failed = await reviewOf(botB.propose(ids.d1, 2, [rename(taskId, 'Check the order')]));
  const deleted = await alice.propose(ids.d1, 2, [{ kind: 'deleteElements', elementIds: [taskId] }]);
  if (deleted.result !== 'applied') throw new Error(`setup: ${JSON.stringify(deleted)}`);
  expect((await rita.approve(ids.failed, randomTx())).result).toBe('rejected');

  ids.d2 = (await alice.createDiagram('Waiting')).diagramId;
  ids.waiting = await reviewOf(botA.propose(ids.d2, 1, [task('w', 100, 'Later')]));
}, 180_000);
afterAll(async () => {
  for (const c of [...clients, rita]) c?.close();
  await service?.stop();
});

/** An entry without its time, for comparing the sequence. */
const line = (e: AuditEntryWire) => [
  e.action,
  e.actorId,
  e.actorKind,
  e.reviewId,
  e.runId,
  e.version ?? null,
  e.reason,
];

const expectedD1 = () => [
  ['AUDIT_ACTION_SUBMITTED', 'planner-bot', 'ACTOR_KIND_AGENT', ids.approved, runA, 1, ''],
  ['AUDIT_ACTION_APPROVED', 'rita', 'ACTOR_KIND_USER', ids.approved, runA, null, ''],
  ['AUDIT_ACTION_APPLIED', 'rita', 'ACTOR_KIND_USER', ids.approved, runA, 2, ''],
  ['AUDIT_ACTION_SUBMITTED', 'planner-bot', 'ACTOR_KIND_AGENT', ids.rejected, runB, 2, ''],
  ['AUDIT_ACTION_REJECTED', 'rita', 'ACTOR_KIND_USER', ids.rejected, runB, null, 'checks are mandatory'],
  ['AUDIT_ACTION_SUBMITTED', 'planner-bot', 'ACTOR_KIND_AGENT', ids.failed, runB, 2, ''],
  ['AUDIT_ACTION_APPROVED', 'rita', 'ACTOR_KIND_USER', ids.failed, runB, null, ''],
  [
    'AUDIT_ACTION_APPLY_FAILED',
    'rita',
    'ACTOR_KIND_USER',
    ids.failed,
    runB,
    null,
    expect.stringMatching(/^INVALID_OPERATION: /),
  ],
];

describe('ListAuditEntries', () => {
  it('names who, what, which run and version of every submission, decision and application, in order', async () => {
    const entries = await rita.auditEntries({ diagramId: ids.d1 });

    expect(entries.map(line)).toEqual(expectedD1());
    expect(entries.every((e) => e.diagramId === ids.d1)).toBe(true);
  });

  it('says when, in the order it happened', async () => {
    const times = (await rita.auditEntries()).map((e) => e.at.seconds * 1000 + e.at.nanos / 1e6);

    expect(times).toHaveLength(9);
    expect(times[0]).toBeGreaterThanOrEqual(started - 1000);
    expect(times.at(-1)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('filters by run, and by run and diagram together', async () => {
    expect((await rita.auditEntries({ runId: runA })).map((e) => [e.action, e.reviewId])).toEqual([
      ['AUDIT_ACTION_SUBMITTED', ids.approved],
      ['AUDIT_ACTION_APPROVED', ids.approved],
      ['AUDIT_ACTION_APPLIED', ids.approved],
      ['AUDIT_ACTION_SUBMITTED', ids.waiting],
    ]);
    expect((await rita.auditEntries({ runId: runA, diagramId: ids.d2 })).map(line)).toEqual([
      ['AUDIT_ACTION_SUBMITTED', 'planner-bot', 'ACTOR_KIND_AGENT', ids.waiting, runA, 1, ''],
    ]);
    expect(await rita.auditEntries({ runId: 'no-such-run' })).toEqual([]);
  });
});

describe('flowledger.<tenant>.audit', () => {
  it('carries every entry once, as Avro through the registry, keyed by diagram, with the action as event type', async () => {
    const listed = await rita.auditEntries();

    // published right after each commit; allow for the relay in case Kafka was briefly away
    await expect.poll(async () => (await auditRecords(tenant)).length, { timeout: 20_000 }).toBe(listed.length);
    const records = await auditRecords(tenant);
    const asListed = records.map((r) => ({
      action: `AUDIT_ACTION_${r.entry.action}`,
      actorId: r.entry.actorId,
      actorKind: `ACTOR_KIND_${r.entry.actorKind}`,
      reviewId: r.entry.reviewId,
      diagramId: r.entry.diagramId,
      runId: r.entry.runId,
      reason: r.entry.reason,
      at: r.entry.at.getTime(),
      ...(r.entry.version === null ? {} : { version: r.entry.version }),
    }));
    // (`_version` is proto-loader's marker of the optional field, not part of the entry)
    const fromList = listed.map(({ at, _version, ...rest }: AuditEntryWire & { _version?: string }) => ({
      ...rest,
      at: at.seconds * 1000 + Math.floor(at.nanos / 1e6),
    }));
    const key = (e: { at: number; reviewId: string; action: string }) => `${e.at}/${e.reviewId}/${e.action}`;
    const sorted = <T extends { at: number; reviewId: string; action: string }>(list: T[]) =>
      [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(asListed)).toEqual(sorted(fromList));
    expect(new Set(records.map((r) => r.entry.entryId)).size).toBe(records.length);
    for (const r of records) {
      expect(r.key).toBe(r.entry.diagramId);
      expect(r.entry.tenantId).toBe(tenant);
      expect(r.headers).toMatchObject({ 'tenant-id': tenant, 'event-type': `AUDIT_${r.entry.action}` });
    }
  });
});

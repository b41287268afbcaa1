import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { startCommandService, type CommandServiceProcess } from '../../../tests/support/command-service-process.js';
import { watchAppends } from '../../../tests/support/append-watch.js';
import { devToken, grpc, ModelingClient, randomTx } from '../../../tests/support/modeling-client.js';
import { rename, task } from '../../../tests/support/proposal-operations.js';
import { ReviewClient } from '../../../tests/support/review-client.js';
import { topicEvents } from '../../../tests/support/tenant-topic.js';
import { clientFor, uniqueTenant } from '../../../tests/support/test-tenant.js';

// A reviewer's side of DESIGN.md §8 against a real command service (its own process, with the
// tenant under review): approving applies the held proposal on the version current then, as the
// agent and its run; rejecting records the reason; a decided review stays decided; only the
// tenant's reviewers and admins may review.
const tenant = uniqueTenant('reviews');
const runId = `run-${randomUUID()}`;

let service: CommandServiceProcess;
let alice: ModelingClient;
let bot: ModelingClient;
let rita: ReviewClient;

beforeAll(async () => {
  service = await startCommandService('reviews', {
    FLOWLEDGER_AGENT_REVIEW_POLICY: JSON.stringify({ [tenant]: 'review' }),
  });
  alice = clientFor(tenant, 'alice', ['editor'], service.address);
  bot = new ModelingClient(devToken(tenant, 'planner-bot', ['agent']), {
    address: service.address,
    headers: { 'x-run-id': runId },
  });
  rita = new ReviewClient(devToken(tenant, 'rita', ['reviewer']), { address: service.address });
}, 120_000);
afterAll(async () => {
  for (const c of [alice, bot, rita]) c?.close();
  await service?.stop();
});

/** The agent proposes `operations` on `base`; the answer must be REVIEW_REQUIRED. */
async function held(diagramId: string, base: number, operations: Operation[], tx = randomTx()) {
  const answer = await bot.propose(diagramId, base, operations, tx);
  if (answer.result !== 'rejected' || answer.rejected.code !== 'REJECT_CODE_REVIEW_REQUIRED') {
    throw new Error(`setup: expected REVIEW_REQUIRED, got ${JSON.stringify(answer)}`);
  }
  return { reviewId: answer.rejected.reviewId, tx };
}

async function applied(client: ModelingClient, diagramId: string, base: number, operations: Operation[]) {
  const answer = await client.propose(diagramId, base, operations);
  if (answer.result !== 'applied') throw new Error(`setup: ${JSON.stringify(answer.rejected)}`);
  return answer.applied;
}

const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: grpc.ServiceError) => grpc.status[e.code],
  );

describe('a reviewer approving', () => {
  it('sees the waiting proposal as the agent sent it, with its lint warnings', async () => {
    const { diagramId } = await alice.createDiagram('Listed');
    const { reviewId, tx } = await held(diagramId, 1, [task('t', 100)]);

    const [pending] = await rita.listPending(diagramId);

    expect(pending).toMatchObject({
      reviewId,
      diagramId,
      baseVersion: 1,
      transactionId: tx,
      actorId: 'planner-bot',
      runId,
    });
    expect(pending!.operations).toEqual([
      { op: 'createShape', createShape: expect.objectContaining({ id: 't', type: 'bpmn:Task' }) },
    ]);
    expect(pending!.lintWarnings.map((w) => w.rule)).toContain('label-required'); // a nameless task
    expect(pending!.submittedAt.seconds).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('gets Applied as the next version; the event names the agent and its run; the agent’s repeat gets the same', async () => {
    const { diagramId } = await alice.createDiagram('Approved');
    const operations = [task('t', 100, 'Check order')];
    const { reviewId, tx } = await held(diagramId, 1, operations);

    const answer = await rita.approve(reviewId, 'approval-1');

    expect(answer).toMatchObject({ result: 'applied', applied: { version: 2 } });
    if (answer.result !== 'applied') return;
    expect(Object.keys(answer.applied.idMap)).toEqual(['t']);
    const event = (await topicEvents(tenant)).find((e) => e.diagramId === diagramId && e.version === 2);
    expect(event).toMatchObject({ actorId: 'planner-bot', actorKind: 'AGENT', runId, transactionId: tx });
    expect(await bot.propose(diagramId, 1, operations, tx)).toMatchObject({
      result: 'applied',
      applied: { version: 2, idMap: answer.applied.idMap },
    });
    expect(await rita.approve(reviewId, 'approval-1')).toEqual(answer); // the same approval again
    expect(await rita.listPending(diagramId)).toEqual([]);
    expect((await alice.listVersions(diagramId)).versions.map((v) => [v.version, v.actorId])).toEqual([
      [1, 'alice'],
      [2, 'planner-bot'],
    ]);
  });

  it('after the diagram moved on: re-validated on the current version, applied when it still applies', async () => {
    const { diagramId } = await alice.createDiagram('Moved on');
    const { t } = (await applied(alice, diagramId, 1, [task('t', 100, 'Check order')])).idMap;
    const { reviewId } = await held(diagramId, 2, [rename(t!, 'Check the order')]);
    await applied(alice, diagramId, 2, [task('u', 300, 'Ship')]);

    const answer = await rita.approve(reviewId, randomTx());

    expect(answer).toMatchObject({ result: 'applied', applied: { version: 4 } });
    expect((await alice.getDiagram(diagramId)).xml).toContain('name="Check the order"');
  });

  it('after its elements were deleted: Rejected INVALID_OPERATION, nothing appended, and the agent is told so', async () => {
    const { diagramId } = await alice.createDiagram('Gone');
    const { t } = (await applied(alice, diagramId, 1, [task('t', 100, 'Check order')])).idMap;
    const { reviewId, tx } = await held(diagramId, 2, [rename(t!, 'Check the order')]);
    await applied(alice, diagramId, 2, [{ kind: 'deleteElements', elementIds: [t!] }]);
    const watch = await watchAppends(alice, tenant, diagramId);

    const answer = await rita.approve(reviewId, randomTx());

    expect(answer).toMatchObject({
      result: 'rejected',
      rejected: { code: 'REJECT_CODE_INVALID_OPERATION', currentVersion: 3, reviewId },
    });
    if (answer.result !== 'rejected') return;
    expect(answer.rejected.message).toContain(t!);
    await watch.expectNothingAppended();
    expect(await bot.propose(diagramId, 2, [rename(t!, 'Check the order')], tx)).toMatchObject({
      result: 'rejected',
      rejected: { code: 'REJECT_CODE_INVALID_OPERATION', reviewId },
    });
  });
});

describe('a reviewer rejecting', () => {
  it('records the reason; nothing is appended, and the agent’s repeat is FORBIDDEN with that reason', async () => {
    const { diagramId } = await alice.createDiagram('Rejected');
    const operations = [task('t', 100, 'Skip checks')];
    const { reviewId, tx } = await held(diagramId, 1, operations);
    const watch = await watchAppends(alice, tenant, diagramId);

    await rita.reject(reviewId, 'checks are mandatory');

    await watch.expectNothingAppended();
    expect(await rita.listPending(diagramId)).toEqual([]);
    const again = await bot.propose(diagramId, 1, operations, tx);
    expect(again).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_FORBIDDEN', reviewId } });
    if (again.result === 'rejected') expect(again.rejected.message).toContain('checks are mandatory');
    await watch.expectNothingAppended();
  });

  it('needs a reason: INVALID_ARGUMENT, and the proposal still waits', async () => {
    const { diagramId } = await alice.createDiagram('No reason');
    const { reviewId } = await held(diagramId, 1, [task('t', 100, 'A')]);

    expect(await statusOf(rita.reject(reviewId, '  '))).toBe('INVALID_ARGUMENT');
    expect((await rita.listPending(diagramId)).map((p) => p.reviewId)).toEqual([reviewId]);
  });
});

describe('a decided review', () => {
  it('cannot be decided again: FAILED_PRECONDITION for another approval or a rejection', async () => {
    const { diagramId } = await alice.createDiagram('Decided');
    const approvedOne = await held(diagramId, 1, [task('t', 100, 'A')]);
    const rejectedOne = await held(diagramId, 1, [task('u', 300, 'B')]);
    expect((await rita.approve(approvedOne.reviewId, 'first')).result).toBe('applied');
    await rita.reject(rejectedOne.reviewId, 'not now');
    const watch = await watchAppends(alice, tenant, diagramId);

    expect(await statusOf(rita.approve(approvedOne.reviewId, 'second'))).toBe('FAILED_PRECONDITION');
    expect(await statusOf(rita.reject(approvedOne.reviewId, 'too late'))).toBe('FAILED_PRECONDITION');
    expect(await statusOf(rita.approve(rejectedOne.reviewId, 'third'))).toBe('FAILED_PRECONDITION');
    expect(await statusOf(rita.reject(rejectedOne.reviewId, 'again'))).toBe('FAILED_PRECONDITION');
    await watch.expectNothingAppended();
  });
});

describe('who may review', () => {
  it('editors, viewers and agents may not (PERMISSION_DENIED); another tenant’s reviewer finds nothing (NOT_FOUND)', async () => {
    const { diagramId } = await alice.createDiagram('Guarded');
    const { reviewId } = await held(diagramId, 1, [task('t', 100, 'A')]);
    const as = (t: string, actor: string, roles: string[]) =>
      new ReviewClient(devToken(t, actor, roles), { address: service.address });
    const others = [as(tenant, 'ed', ['editor']), as(tenant, 'vic', ['viewer']), as(tenant, 'planner-bot', ['agent'])];
    const stranger = as(uniqueTenant('reviews-other'), 'rita', ['reviewer']);
    const watch = await watchAppends(alice, tenant, diagramId);

    for (const client of others) {
      expect(await statusOf(client.listPending())).toBe('PERMISSION_DENIED');
      expect(await statusOf(client.approve(reviewId, randomTx()))).toBe('PERMISSION_DENIED');
      expect(await statusOf(client.reject(reviewId, 'no'))).toBe('PERMISSION_DENIED');
      expect(await statusOf(client.auditEntries())).toBe('PERMISSION_DENIED');
    }
    expect(await statusOf(stranger.approve(reviewId, randomTx()))).toBe('NOT_FOUND');
    expect(await statusOf(stranger.reject(reviewId, 'no'))).toBe('NOT_FOUND');
    expect(await stranger.listPending()).toEqual([]);
    expect(await stranger.auditEntries({ diagramId })).toEqual([]);

    await watch.expectNothingAppended();
    expect((await rita.listPending(diagramId)).map((p) => p.reviewId)).toEqual([reviewId]);
    for (const client of [...others, stranger]) client.close();
  });

  it('an admin may', async () => {
    const { diagramId } = await alice.createDiagram('Admin');
    const { reviewId } = await held(diagramId, 1, [task('t', 100, 'A')]);
    const ada = new ReviewClient(devToken(tenant, 'ada', ['admin']), { address: service.address });

    expect(await ada.approve(reviewId, randomTx())).toMatchObject({ result: 'applied', applied: { version: 2 } });
    ada.close();
  });
});

describe('through Envoy', () => {
  it('the stack’s command service serves ReviewService on the /flowledger. route, behind the JWT check', async () => {
    const reviewer = new ReviewClient(devToken(uniqueTenant('reviews-edge'), 'rita', ['reviewer']));
    const editor = new ReviewClient(devToken(tenant, 'ed', ['editor']));
    const anonymous = new ReviewClient('not-a-jwt');

    expect(await reviewer.listPending()).toEqual([]);
    expect(await reviewer.auditEntries()).toEqual([]);
    expect(await statusOf(editor.listPending())).toBe('PERMISSION_DENIED');
    expect(await statusOf(anonymous.listPending())).toBe('UNAUTHENTICATED');
    for (const client of [reviewer, editor, anonymous]) client.close();
  });
});

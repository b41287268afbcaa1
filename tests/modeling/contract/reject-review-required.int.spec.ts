import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandService, type CommandServiceProcess } from '../../support/command-service-process.js';
import { watchAppends } from '../../support/append-watch.js';
import { devToken, ModelingClient, randomTx } from '../../support/modeling-client.js';
import { rename, task } from '../../support/proposal-operations.js';
import { ReviewClient } from '../../support/review-client.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// REVIEW_REQUIRED (DESIGN.md §8): a command service whose FLOWLEDGER_AGENT_REVIEW_POLICY puts one
// tenant under review holds its agents' valid proposals for a reviewer — nothing is appended —
// while agents of a `direct` tenant and the tenant's human editors are applied as before. The
// stack's own command service runs with the default policy (every tenant direct), hence a
// process of this file's own.
const reviewed = uniqueTenant('review-required');
const direct = uniqueTenant('review-direct');
const runId = `run-${randomUUID()}`;

let service: CommandServiceProcess;
let alice: ModelingClient;
let bot: ModelingClient;
let botWithoutRun: ModelingClient;
let directBot: ModelingClient;
let rita: ReviewClient;

const agent = (tenant: string, headers: Record<string, string> = { 'x-run-id': runId }) =>
  new ModelingClient(devToken(tenant, 'planner-bot', ['agent']), { address: service.address, headers });

beforeAll(async () => {
  service = await startCommandService('review-required', {
    FLOWLEDGER_AGENT_REVIEW_POLICY: JSON.stringify({ [reviewed]: 'review', [direct]: 'direct' }),
  });
  alice = clientFor(reviewed, 'alice', ['editor'], service.address);
  bot = agent(reviewed);
  botWithoutRun = agent(reviewed, {});
  directBot = agent(direct);
  rita = new ReviewClient(devToken(reviewed, 'rita', ['reviewer']), { address: service.address });
}, 120_000);
afterAll(async () => {
  for (const c of [alice, bot, botWithoutRun, directBot, rita]) c?.close();
  await service?.stop();
});

describe('an agent of a tenant whose policy is review', () => {
  it('gets Rejected REVIEW_REQUIRED with a review id and the current version, and nothing is appended', async () => {
    const { diagramId } = await alice.createDiagram('Held');
    const watch = await watchAppends(alice, reviewed, diagramId);

    const answer = await bot.propose(diagramId, 1, [task('t', 100, 'Check order')]);

    expect(answer).toMatchObject({
      result: 'rejected',
      rejected: { code: 'REJECT_CODE_REVIEW_REQUIRED', currentVersion: 1, violations: [] },
    });
    if (answer.result !== 'rejected') return;
    expect(answer.rejected.reviewId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.rejected.message).toContain(answer.rejected.reviewId);
    await watch.expectNothingAppended();
    // the reviewer sees exactly this proposal waiting
    expect((await rita.listPending(diagramId)).map((p) => [p.reviewId, p.actorId, p.runId])).toEqual([
      [answer.rejected.reviewId, 'planner-bot', runId],
    ]);
  });

  it('gets the same answer and review id for the same transaction again, also after the diagram moved on', async () => {
    const { diagramId } = await alice.createDiagram('Held twice');
    const tx = randomTx();
    const first = await bot.propose(diagramId, 1, [task('t', 100, 'Check order')], tx);
    const again = await bot.propose(diagramId, 1, [task('t', 100, 'Check order')], tx);
    expect(again).toEqual(first);

    const moved = await alice.propose(diagramId, 1, [task('u', 300, 'Ship')]);
    expect(moved.result).toBe('applied');
    const watch = await watchAppends(alice, reviewed, diagramId);
    const afterMove = await bot.propose(diagramId, 1, [task('t', 100, 'Check order')], tx);

    expect(first).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_REVIEW_REQUIRED' } });
    expect(afterMove).toMatchObject({
      result: 'rejected',
      rejected: {
        code: 'REJECT_CODE_REVIEW_REQUIRED',
        currentVersion: 2,
        reviewId: first.result === 'rejected' ? first.rejected.reviewId : 'none',
      },
    });
    await watch.expectNothingAppended();
    expect(await rita.listPending(diagramId)).toHaveLength(1);
  });

  it('is only held once valid on the current version: an invalid proposal gets its own code and waits for no one', async () => {
    const { diagramId } = await alice.createDiagram('Invalid');
    const watch = await watchAppends(alice, reviewed, diagramId);

    const stale = await bot.propose(diagramId, 7, [task('t', 100)]);
    const unknown = await bot.propose(diagramId, 1, [rename('Nope_1', 'x')]);

    expect(stale).toMatchObject({
      result: 'rejected',
      rejected: { code: 'REJECT_CODE_VERSION_MISMATCH', reviewId: '' },
    });
    expect(unknown).toMatchObject({
      result: 'rejected',
      rejected: { code: 'REJECT_CODE_INVALID_OPERATION', reviewId: '' },
    });
    await watch.expectNothingAppended();
    expect(await rita.listPending(diagramId)).toEqual([]);
  });

  it('without x-run-id is refused INVALID_OPERATION naming the header, and nothing is held', async () => {
    const { diagramId } = await alice.createDiagram('No run');
    const watch = await watchAppends(alice, reviewed, diagramId);

    const answer = await botWithoutRun.propose(diagramId, 1, [task('t', 100)]);

    expect(answer).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_INVALID_OPERATION' } });
    if (answer.result !== 'rejected') return;
    expect(answer.rejected.message).toContain('x-run-id');
    await watch.expectNothingAppended();
    expect(await rita.listPending(diagramId)).toEqual([]);
  });
});

describe('proposals that are not reviewed', () => {
  it('an agent of a direct tenant is Applied, naming its run', async () => {
    const creator = clientFor(direct, 'dora', ['editor'], service.address);
    const { diagramId } = await creator.createDiagram('Direct');

    const answer = await directBot.propose(diagramId, 1, [task('t', 100, 'Check order')]);

    expect(answer).toMatchObject({ result: 'applied', applied: { version: 2 } });
    expect((await creator.listVersions(diagramId)).versions.at(-1)).toMatchObject({
      version: 2,
      actorId: 'planner-bot',
    });
    creator.close();
  });

  it('a human editor of the review tenant is Applied', async () => {
    const { diagramId } = await alice.createDiagram('Human');

    const answer = await alice.propose(diagramId, 1, [task('t', 100, 'Check order')]);

    expect(answer).toMatchObject({ result: 'applied', applied: { version: 2 } });
    expect(await rita.listPending(diagramId)).toEqual([]);
  });
});

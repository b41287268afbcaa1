import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { startCommandService, type CommandServiceProcess } from '../../support/command-service-process.js';
import { watchAppends } from '../../support/append-watch.js';
import { flow, shape, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import type { ModelingClient } from '../../support/modeling-client.js';

// Every limit and the bpmnlint rules are configuration (command-service.config.ts): a service
// started with small limits and a stricter lint configuration for one tenant applies them, names
// each limit with its configured value, and changes nothing for a refused proposal.
const strict = uniqueTenant('lint-strict');
const relaxed = uniqueTenant('lint-relaxed');
const LIMITS = {
  FLOWLEDGER_MAX_OPERATIONS_PER_PROPOSAL: '3',
  FLOWLEDGER_MAX_XML_BYTES: '3000',
  // Every string of an operation counts, its type too (bpmn:StartEvent has 15 characters).
  FLOWLEDGER_MAX_STRING_LENGTH: '20',
  FLOWLEDGER_MAX_WAYPOINTS_PER_CONNECTION: '3',
  FLOWLEDGER_MAX_ELEMENTS_PER_DIAGRAM: '6',
};

let service: CommandServiceProcess;
let alice: ModelingClient;
let bob: ModelingClient;

beforeAll(async () => {
  service = await startCommandService('configured-limits', {
    ...LIMITS,
    FLOWLEDGER_LINT_CONFIG: JSON.stringify({ [strict]: { rules: { 'label-required': 'error' } } }),
  });
  alice = clientFor(strict, 'alice', ['editor', 'viewer'], service.address);
  bob = clientFor(relaxed, 'bob', ['editor', 'viewer'], service.address);
}, 120_000);
afterAll(async () => {
  alice?.close();
  bob?.close();
  await service?.stop();
});

async function diagramWithTwoTasks(
  client: ModelingClient,
): Promise<{ diagramId: string; ids: Record<string, string> }> {
  const { diagramId } = await client.createDiagram('Configured');
  const answer = await client.propose(diagramId, 1, [task('a', 100, 'A'), task('b', 300, 'B')]);
  if (answer.result !== 'applied') throw new Error(`setup: ${JSON.stringify(answer.rejected)}`);
  return { diagramId, ids: answer.applied.idMap };
}

describe('a command service with configured limits', () => {
  const cases: Array<[string, (ids: Record<string, string>) => Operation[]]> = [
    ['operations per proposal 4 > max 3', () => [1, 2, 3, 4].map((i) => task(`t${i}`, 100 * i, `T${i}`))],
    ['XML bytes 3001 > max 3000', () => [{ kind: 'importXml', xml: ' '.repeat(3001) }]],
    ['string length (name) 21 > max 20', () => [task('long', 500, 'x'.repeat(21))]],
    [
      'waypoints per connection 4 > max 3',
      (ids) => [
        {
          ...flow('f', ids['a']!, ids['b']!),
          waypoints: [1, 2, 3, 4].map((i) => ({ x: 150 + i * 10, y: 140 })),
        } as Operation,
      ],
    ],
    ['elements per diagram: 7 > max 6', () => [1, 2, 3].map((i) => task(`e${i}`, 100 * i, `E${i}`))],
  ];

  it.each(cases)('refuses %s, naming it, and appends nothing', async (limit, operations) => {
    const { diagramId, ids } = await diagramWithTwoTasks(bob);
    // Definitions, process and two tasks: three more tasks would make seven elements.
    const watch = await watchAppends(bob, relaxed, diagramId);

    const answer = await bob.propose(diagramId, 2, operations(ids));

    expect(answer).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_LIMIT_EXCEEDED' } });
    if (answer.result !== 'rejected') return;
    expect(answer.rejected.message).toContain(limit);
    await watch.expectNothingAppended();
  });
});

describe("a tenant's own bpmnlint rules", () => {
  it('reject a nameless task as LINT_ERROR for the tenant that made label-required an error', async () => {
    const { diagramId } = await alice.createDiagram('Strict');
    const watch = await watchAppends(alice, strict, diagramId);

    const answer = await alice.propose(diagramId, 1, [
      shape('s', 'bpmn:StartEvent', 100, 100, 'Start'),
      task('t', 300),
    ]);

    expect(answer).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_LINT_ERROR' } });
    if (answer.result !== 'rejected') return;
    expect(answer.rejected.violations.map((v) => v.rule)).toContain('label-required');
    await watch.expectNothingAppended();
  });

  it('only warn for another tenant: the same proposal is applied with the warning', async () => {
    const { diagramId } = await bob.createDiagram('Relaxed');

    const answer = await bob.propose(diagramId, 1, [shape('s', 'bpmn:StartEvent', 100, 100, 'Start'), task('t', 300)]);

    expect(answer.result).toBe('applied');
    if (answer.result !== 'applied') return;
    const warning = answer.applied.lintWarnings.find((w) => w.rule === 'label-required');
    expect(warning?.elementId).toBe(answer.applied.idMap['t']);
  });
});

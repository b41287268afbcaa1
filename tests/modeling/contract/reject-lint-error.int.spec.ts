import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchAppends } from '../../support/append-watch.js';
import { grpc } from '../../support/modeling-client.js';
import { flow, shape, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// Lint rules are per tenant (FLOWLEDGER_LINT_CONFIG); this tenant has none of its own, so the
// default applies, which rejects only no-duplicate-sequence-flows and single-event-definition.
const tenant = uniqueTenant('lint');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
let ids: Record<string, string>;

// Given a start event connected to a task
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Lint'));
  const response = await alice.propose(diagramId, 1, [
    shape('start', 'bpmn:StartEvent', 100),
    task('t', 300),
    flow('f', 'start', 't'),
  ]);
  if (response.result !== 'applied') throw new Error(`setup: ${JSON.stringify(response.rejected)}`);
  ids = response.applied.idMap;
});
afterAll(() => alice.close());

const twoDefinitions = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1">
    <bpmn:startEvent id="Start">
      <bpmn:messageEventDefinition id="M" />
      <bpmn:timerEventDefinition id="T" />
    </bpmn:startEvent>
  </bpmn:process>
</bpmn:definitions>`;

describe('Rejected LINT_ERROR', () => {
  it('for a second sequence flow between the same pair of elements, and nothing is appended', async () => {
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await alice.propose(diagramId, 2, [flow('again', ids['start']!, ids['t']!)]);

    expect(response).toMatchObject({
      result: 'rejected',
      rejected: { code: 'REJECT_CODE_LINT_ERROR', currentVersion: 2 },
    });
    if (response.result !== 'rejected') return;
    expect(response.rejected.violations.map((v) => v.rule)).toContain('no-duplicate-sequence-flows');
    await watch.expectNothingAppended();
  });

  it('for an event with two event definitions (through importXml), and nothing is appended', async () => {
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await alice.propose(diagramId, 2, [{ kind: 'importXml', xml: twoDefinitions }]);

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_LINT_ERROR' } });
    if (response.result !== 'rejected') return;
    expect(response.rejected.violations).toContainEqual(
      expect.objectContaining({ rule: 'single-event-definition', elementId: 'Start' }),
    );
    await watch.expectNothingAppended();
  });

  // Accepted, such a diagram would turn every later proposal on it into a LINT_ERROR.
  it('refuses the same import in CreateDiagram with INVALID_ARGUMENT naming the rule, creating nothing', async () => {
    const watch = await watchAppends(alice, tenant);

    await expect(alice.createDiagram('Broken', twoDefinitions)).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('single-event-definition'),
    });
    await watch.expectNothingAppended();
  });
});

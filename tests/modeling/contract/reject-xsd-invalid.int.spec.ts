import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { watchAppends } from '../../support/append-watch.js';
import { grpc } from '../../support/modeling-client.js';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// Proposals the operations core accepts but whose result the OMG XSDs refuse, so only the
// XSD step (validator-py) can catch them.
const tenant = uniqueTenant('xsd');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
let taskId: string;

beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Xsd'));
  const response = await alice.propose(diagramId, 1, [task('t', 100)]);
  if (response.result !== 'applied') throw new Error(`setup: ${JSON.stringify(response.rejected)}`);
  taskId = response.applied.idMap['t']!;
});
afterAll(() => alice.close());

const cases: Array<[string, () => Operation]> = [
  // A whole number to JavaScript, serialized as "1e+21": not an xs:integer.
  [
    'an integer property too large for its lexical form',
    () => ({ kind: 'updateProperties', elementId: taskId, properties: { completionQuantity: 1e21 } }),
  ],
  // targetNamespace is a simple attribute moddle lets us remove, but the XSD requires it.
  [
    'removing a required attribute',
    () => ({ kind: 'updateProperties', elementId: 'Definitions_1', properties: { targetNamespace: null } }),
  ],
  // U+0001 may not appear in an XML 1.0 document at all.
  [
    'a name with a control character',
    () => ({ kind: 'updateProperties', elementId: taskId, properties: { name: 'a\u0001b' } }),
  ],
];

describe('Rejected XSD_INVALID', () => {
  it.each(cases)('for %s, with the XSD violation, and nothing is appended', async (_case, operation) => {
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await alice.propose(diagramId, 2, [operation()]);

    expect(response).toMatchObject({
      result: 'rejected',
      rejected: { code: 'REJECT_CODE_XSD_INVALID', currentVersion: 2 },
    });
    if (response.result !== 'rejected') return;
    expect(response.rejected.violations[0]).toMatchObject({ rule: expect.stringMatching(/^xsd:/) });
    expect(response.rejected.violations[0]!.line).toBeGreaterThan(0);
    await watch.expectNothingAppended();
  });

  it('refuses an XSD-invalid import in CreateDiagram with INVALID_ARGUMENT, creating nothing', async () => {
    const noTargetNamespace = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_1">
  <bpmn:process id="Process_1" />
</bpmn:definitions>`;
    const watch = await watchAppends(alice, tenant);

    await expect(alice.createDiagram('Invalid', noTargetNamespace)).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('XSD'),
    });
    await watch.expectNothingAppended();
  });
});

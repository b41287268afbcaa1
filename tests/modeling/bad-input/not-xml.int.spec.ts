import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchAppends } from '../../support/append-watch.js';
import { grpc } from '../../support/modeling-client.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('not-xml');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Target'));
});
afterAll(() => alice.close());

const notBpmn: Array<[string, string]> = [
  ['plain text', 'this is not XML'],
  ['truncated XML', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'],
  ['XML of another vocabulary', '<?xml version="1.0"?><html><body>hello</body></html>'],
  [
    'BPMN with an element the meta-model does not know',
    `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="http://x">
       <bpmn:process id="P"><bpmn:notATask id="T" /></bpmn:process>
     </bpmn:definitions>`,
  ],
];

describe('input that is not BPMN XML', () => {
  it.each(notBpmn)('(%s) is refused by CreateDiagram with INVALID_ARGUMENT, creating nothing', async (_case, xml) => {
    const watch = await watchAppends(alice, tenant);

    await expect(alice.createDiagram('Broken', xml)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await watch.expectNothingAppended();
  });

  it.each(notBpmn)('(%s) in importXml is Rejected INVALID_OPERATION, and nothing is appended', async (_case, xml) => {
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await alice.propose(diagramId, 1, [{ kind: 'importXml', xml }]);

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_INVALID_OPERATION' } });
    await watch.expectNothingAppended();
  });
});

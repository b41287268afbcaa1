import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchAppends } from '../../support/append-watch.js';
import { grpc } from '../../support/modeling-client.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('entities');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Target'));
});
afterAll(() => alice.close());

const definitions = (doctype: string, name: string) =>
  `<?xml version="1.0"?>${doctype}
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="http://x">
  <bpmn:process id="P"><bpmn:task id="T" name="${name}" /></bpmn:process>
</bpmn:definitions>`;
// "Billion laughs": ten levels of ten references each, 10^9 copies of "lol" once expanded.
const level = (n: number) => `<!ENTITY lol${n} "${`&lol${n - 1};`.repeat(10)}">`;
const laughs = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(level).join('\n');
const hostile: Array<[string, string]> = [
  ['an entity-expansion bomb', definitions(`<!DOCTYPE d [\n<!ENTITY lol0 "lol">\n${laughs}\n]>`, '&lol9;')],
  [
    'the same bomb on one line',
    definitions(`<!DOCTYPE d [<!ENTITY lol0 "lol">${laughs.replace(/\n/g, '')}]>`, '&lol9;'),
  ],
  ['an external entity', definitions('<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;')],
];

describe('entity declarations', () => {
  it.each(hostile)('(%s) are refused quickly by CreateDiagram, creating nothing', async (_case, xml) => {
    const watch = await watchAppends(alice, tenant);
    const started = Date.now();

    await expect(alice.createDiagram('Bomb', xml)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    // Expanded, this would take gigabytes and minutes; refused, it takes milliseconds.
    expect(Date.now() - started).toBeLessThan(5_000);
    await watch.expectNothingAppended();
  });

  it.each(hostile)('(%s) in importXml are Rejected INVALID_OPERATION, and nothing is appended', async (_case, xml) => {
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await alice.propose(diagramId, 1, [{ kind: 'importXml', xml }]);

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_INVALID_OPERATION' } });
    await watch.expectNothingAppended();
  });
});

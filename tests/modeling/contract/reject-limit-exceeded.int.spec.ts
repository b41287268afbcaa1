import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { watchAppends } from '../../support/append-watch.js';
import { shape, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// The command service's default caps (command-service/src/modeling/proposals/proposal-limits.ts),
// which the running stack does not override.
const MAX_OPERATIONS = 500;
const MAX_XML_BYTES = 5 * 1024 * 1024;
const MAX_WAYPOINTS = 200;
const MAX_STRING_LENGTH = 10_000;
const MAX_ELEMENTS = 20_000;

const tenant = uniqueTenant('limits');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
let ids: Record<string, string>;

// Given a diagram with a start event and a task
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Limits'));
  const response = await alice.propose(diagramId, 1, [shape('s', 'bpmn:StartEvent', 100), task('t', 300)]);
  if (response.result !== 'applied') throw new Error(`setup: ${JSON.stringify(response.rejected)}`);
  ids = response.applied.idMap;
});
afterAll(() => alice.close());

const points = (n: number) => Array.from({ length: n }, (_, i) => ({ x: 136 + i, y: 118 }));

const cases: Array<[string, () => Operation[]]> = [
  ['operations per proposal', () => Array.from({ length: MAX_OPERATIONS + 1 }, (_, i) => task(`t${i}`, 100 * i))],
  ['XML bytes', () => [{ kind: 'importXml', xml: ' '.repeat(MAX_XML_BYTES + 1) }]],
  [
    'waypoints per connection',
    () => [
      {
        kind: 'createConnection',
        id: 'f',
        type: 'bpmn:SequenceFlow',
        sourceId: ids['s']!,
        targetId: ids['t']!,
        waypoints: points(MAX_WAYPOINTS + 1),
        name: '',
      },
    ],
  ],
  ['string length', () => [task('long', 500, 'x'.repeat(MAX_STRING_LENGTH + 1))]],
];

describe('Rejected LIMIT_EXCEEDED', () => {
  it.each(cases)('naming the limit "%s", and nothing is appended', async (limit, operations) => {
    const watch = await watchAppends(alice, tenant, diagramId);

    const response = await alice.propose(diagramId, 2, operations());

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_LIMIT_EXCEEDED' } });
    if (response.result !== 'rejected') return;
    expect(response.rejected.message).toContain(limit);
    await watch.expectNothingAppended();
  });

  it('naming the limit "elements per diagram" when a proposal grows a diagram past it', async () => {
    // Given a diagram exactly at the cap: definitions + process + tasks
    const atCap = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="P">${Array.from({ length: MAX_ELEMENTS - 2 }, (_, i) => `<bpmn:task id="T${i}"/>`).join('')}</bpmn:process>
</bpmn:definitions>`;
    const full = await alice.createDiagram('Full', atCap);
    const watch = await watchAppends(alice, tenant, full.diagramId);

    const response = await alice.propose(full.diagramId, 1, [task('one-more', 100)]);

    expect(response).toMatchObject({ result: 'rejected', rejected: { code: 'REJECT_CODE_LIMIT_EXCEEDED' } });
    if (response.result !== 'rejected') return;
    expect(response.rejected.message).toContain(`elements per diagram: ${MAX_ELEMENTS + 1} > max ${MAX_ELEMENTS}`);
    await watch.expectNothingAppended();
  });
});

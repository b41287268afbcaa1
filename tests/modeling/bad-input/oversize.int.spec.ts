import { afterAll, describe, expect, it } from 'vitest';
import { watchAppends } from '../../support/append-watch.js';
import { grpc } from '../../support/modeling-client.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// The command service's default caps (command-service/src/modeling/proposals/proposal-limits.ts).
const MAX_XML_BYTES = 5 * 1024 * 1024;
const MAX_STRING_LENGTH = 10_000;
const MAX_ELEMENTS = 20_000;

const tenant = uniqueTenant('oversize');
const alice = clientFor(tenant, 'alice', ['editor']);
afterAll(() => alice.close());

const tasks = (count: number) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="P">${Array.from({ length: count }, (_, i) => `<bpmn:task id="T${i}"/>`).join('')}</bpmn:process>
</bpmn:definitions>`;

describe('CreateDiagram with oversize input', () => {
  it.each([
    // Over the XML cap but under the transport's message limit: the service itself must name the cap.
    ['XML bytes', () => ['Big', `<!--${'x'.repeat(MAX_XML_BYTES)}-->`]],
    ['string length (name)', () => ['n'.repeat(MAX_STRING_LENGTH + 1), '']],
    // definitions + process + tasks: one element over the cap.
    ['elements per diagram', () => ['Crowded', tasks(MAX_ELEMENTS - 1)]],
  ] as Array<[string, () => [string, string]]>)(
    'is refused with INVALID_ARGUMENT naming the limit "%s", creating nothing',
    async (limit, input) => {
      const watch = await watchAppends(alice, tenant);
      const [name, xml] = input();

      await expect(alice.createDiagram(name, xml)).rejects.toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
        details: expect.stringContaining(`limit exceeded: ${limit}`),
      });
      await watch.expectNothingAppended();
    },
  );
});

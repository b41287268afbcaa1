import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDiagram, semanticSummary } from '@flowledger/bpmn-operations';
import { afterAll, describe, expect, it } from 'vitest';
import { randomTx } from '../../support/modeling-client.js';
import { topicEvents } from '../../support/tenant-topic.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('create');
const alice = clientFor(tenant, 'alice', ['editor']);
afterAll(() => alice.close());

describe('CreateDiagram', () => {
  it('without XML creates version 1 with one empty process', async () => {
    const { diagramId, version } = await alice.createDiagram('Empty');

    expect(version).toBe(1);
    const { xml, version: got } = await alice.getDiagram(diagramId);
    expect(got).toBe(1);
    const summary = semanticSummary(await parseDiagram(xml));
    expect(summary.elements.map((e) => e.type)).toEqual(['bpmn:Definitions', 'bpmn:Process']);
  });

  it('with XML imports it as version 1, semantically unchanged, and appends a DIAGRAM_CREATED event', async () => {
    const source = readFileSync(join(import.meta.dirname, '../../fixtures/miwg-reference/A.2.0.bpmn'), 'utf8');
    const transactionId = randomTx();

    const { diagramId } = await alice.createDiagram('A.2.0', source, transactionId);

    const { xml } = await alice.getDiagram(diagramId);
    expect(semanticSummary(await parseDiagram(xml))).toEqual(semanticSummary(await parseDiagram(source)));
    const events = (await topicEvents(tenant)).filter((e) => e.diagramId === diagramId);
    expect(events).toMatchObject([
      {
        eventType: 'DIAGRAM_CREATED',
        version: 1,
        baseVersion: 0,
        transactionId,
        actorId: 'alice',
        diagramName: 'A.2.0',
      },
    ]);
  });

  it('with a transaction id used before returns the first diagram and creates nothing', async () => {
    const transactionId = randomTx();
    const first = await alice.createDiagram('Once', '', transactionId);

    const again = await alice.createDiagram('Once', '', transactionId);

    expect(again).toEqual(first);
    const listed = (await alice.listDiagrams()).diagrams.filter((d) => d.name === 'Once');
    expect(listed).toHaveLength(1);
  });
});

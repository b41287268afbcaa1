import { parseDiagram, semanticSummary } from '@flowledger/bpmn-operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomTx } from '../../support/modeling-client.js';
import { task } from '../../support/proposal-operations.js';
import { topicEvents } from '../../support/tenant-topic.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('applied');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Applied'));
});
afterAll(() => alice.close());

describe('Propose → Applied', () => {
  it('applies as the next version, durable in the ledger and on the tenant topic when acknowledged', async () => {
    const transactionId = randomTx();

    const response = await alice.propose(diagramId, 1, [task('t', 100, 'Check order')], transactionId);

    expect(response.result).toBe('applied');
    if (response.result !== 'applied') return;
    expect(response.applied.version).toBe(2);
    const { versions } = await alice.listVersions(diagramId);
    expect(versions.at(-1)).toMatchObject({ version: 2, transactionId, actorId: 'alice' });
    const onTopic = (await topicEvents(tenant)).filter((e) => e.diagramId === diagramId);
    expect(onTopic.map((e) => e.version)).toEqual([1, 2]);
    expect(onTopic[1]).toMatchObject({
      eventType: 'CHANGES_APPLIED',
      baseVersion: 1,
      transactionId,
      actorId: 'alice',
      idMap: response.applied.idMap,
    });
    const { xml } = await alice.getDiagram(diagramId);
    expect(semanticSummary(await parseDiagram(xml)).elements).toContainEqual({
      id: response.applied.idMap['t'],
      type: 'bpmn:Task',
      name: 'Check order',
    });
  });

  it('returns the lint warnings of the result (here: a lone task with no start or end event)', async () => {
    const response = await alice.propose(diagramId, 2, [task('lonely', 400)]);

    expect(response.result).toBe('applied');
    if (response.result !== 'applied') return;
    const rules = response.applied.lintWarnings.map((w) => w.rule);
    expect(rules).toEqual(expect.arrayContaining(['start-event-required', 'end-event-required']));
    const lonely = response.applied.idMap['lonely'];
    expect(response.applied.lintWarnings).toContainEqual(
      expect.objectContaining({ rule: 'no-disconnected', elementId: lonely }),
    );
  });

  it('answers the same transaction id proposed again with the first result and appends nothing', async () => {
    const transactionId = randomTx();
    const first = await alice.propose(diagramId, 3, [task('again', 700)], transactionId);

    const second = await alice.propose(diagramId, 3, [task('again', 700)], transactionId);

    expect(second.result).toBe('applied');
    if (first.result !== 'applied' || second.result !== 'applied') return;
    expect(second.applied.version).toBe(first.applied.version);
    expect(second.applied.idMap).toEqual(first.applied.idMap);
    expect((await alice.listVersions(diagramId)).versions.map((v) => v.version)).toEqual([1, 2, 3, 4]);
  });
});

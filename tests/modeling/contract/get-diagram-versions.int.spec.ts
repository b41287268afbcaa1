import { parseDiagram, semanticSummary } from '@flowledger/bpmn-operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpc } from '../../support/modeling-client.js';
import { rename, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('versions');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;

// Given a diagram at version 3: v1 empty, v2 one task "Draft", v3 the task renamed "Final".
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('History'));
  const v2 = await alice.propose(diagramId, 1, [task('t', 100, 'Draft')]);
  if (v2.result !== 'applied') throw new Error(`setup: ${JSON.stringify(v2)}`);
  const taskId = v2.applied.idMap['t']!;
  await alice.propose(diagramId, 2, [rename(taskId, 'Final')]);
});
afterAll(() => alice.close());

async function taskNamesAt(version: number): Promise<Array<string | null>> {
  const { xml, version: served } = await alice.getDiagram(diagramId, version);
  expect(served).toBe(version === 0 ? 3 : version);
  return semanticSummary(await parseDiagram(xml))
    .elements.filter((e) => e.type === 'bpmn:Task')
    .map((e) => e.name);
}

describe('GetDiagram at past versions', () => {
  it('serves each version as it was', async () => {
    expect(await taskNamesAt(1)).toEqual([]);
    expect(await taskNamesAt(2)).toEqual(['Draft']);
    expect(await taskNamesAt(3)).toEqual(['Final']);
  });

  it('serves the latest for version 0', async () => {
    expect(await taskNamesAt(0)).toEqual(['Final']);
  });

  it('refuses a version that does not exist yet (NOT_FOUND) and a negative one (INVALID_ARGUMENT)', async () => {
    await expect(alice.getDiagram(diagramId, 4)).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(alice.getDiagram(diagramId, -1)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });
});

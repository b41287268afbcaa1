import { expect } from 'vitest';
import type { ModelingClient } from './modeling-client.js';
import { topicRecordCount } from './tenant-topic.js';

/**
 * "Nothing appended", checked for real: before a call that must be refused, record what the
 * ledger (ListVersions, GetDiagram, ListDiagrams) and the tenant's Kafka topic hold; afterwards,
 * `expectNothingAppended()` asserts that every one of them is unchanged.
 */
export async function watchAppends(client: ModelingClient, tenantId: string, diagramId?: string) {
  const before = await observe(client, tenantId, diagramId);
  return {
    before,
    async expectNothingAppended(): Promise<void> {
      expect(await observe(client, tenantId, diagramId)).toEqual(before);
    },
  };
}

async function observe(client: ModelingClient, tenantId: string, diagramId: string | undefined) {
  const diagrams = (await client.listDiagrams()).diagrams.map((d) => ({ id: d.diagramId, version: d.version }));
  const topicRecords = await topicRecordCount(tenantId);
  if (diagramId === undefined) return { diagrams, topicRecords };
  const versions = (await client.listVersions(diagramId)).versions.map((v) => v.version);
  const latest = await client.getDiagram(diagramId);
  return { diagrams, topicRecords, versions, latest };
}

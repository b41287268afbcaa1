import type { Operation } from '@flowledger/bpmn-operations';
import { randomTx, type ModelingClient, type ProposeResult } from '../../support/modeling-client.js';
import { clientFor } from '../../support/test-tenant.js';
import { retryUnavailable } from '../../recovery/recovery-fixtures.js';

/**
 * A modeling client through Envoy that retries UNAVAILABLE with the same transaction id, as the
 * contract says to: other engineers restart the shared command service now and then, which must
 * not fail a read-model test. Any other answer is returned as it came.
 */
export class SteadyClient {
  private readonly client: ModelingClient;

  constructor(tenant: string, actor: string, roles: string[]) {
    this.client = clientFor(tenant, actor, roles);
  }

  createDiagram(name: string, xml = ''): Promise<{ diagramId: string; version: number }> {
    const tx = randomTx();
    return retryUnavailable(() => this.client.createDiagram(name, xml, tx));
  }

  propose(diagramId: string, baseVersion: number, operations: Operation[]): Promise<ProposeResult> {
    const tx = randomTx();
    return retryUnavailable(() => this.client.propose(diagramId, baseVersion, operations, tx));
  }

  getDiagram(diagramId: string, version = 0): Promise<{ xml: string; version: number }> {
    return retryUnavailable(() => this.client.getDiagram(diagramId, version));
  }

  close(): void {
    this.client.close();
  }
}

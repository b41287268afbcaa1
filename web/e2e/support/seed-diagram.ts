import type { Operation } from '@flowledger/bpmn-operations';
import type { ModelingClient } from '../../../tests/support/modeling-client.js';

/** A new diagram with `operations` applied as its version 2 (through the API, before a browser opens it). */
export async function seedDiagram(setup: ModelingClient, name: string, operations: Operation[]): Promise<string> {
  const { diagramId } = await setup.createDiagram(name);
  const result = await setup.propose(diagramId, 1, operations);
  if (result.result !== 'applied') {
    throw new Error(`seeding "${name}" was rejected: ${result.rejected.code} ${result.rejected.message}`);
  }
  return diagramId;
}

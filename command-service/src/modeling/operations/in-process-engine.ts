import { applyOperations, parseStoredDiagram, serializeDiagram } from '@flowledger/bpmn-operations';
import { timed } from '../../observability/metrics.js';
import type { OperationEngine } from './operation-engine.js';

/** bpmn-moddle in this process, changing the workspace's cached model in place (the caller drops it on failure). */
export const inProcessEngine: OperationEngine = {
  name: 'in-process',
  async apply(entry, operations, context) {
    // entry.xml is a stored version: its text fills the serializer's cache (only the change is written).
    entry.model ??= await timed('parse', () => parseStoredDiagram(entry.xml));
    const model = entry.model;
    const change = await timed('apply', () => applyOperations(model, operations, context));
    const xml = await timed('serialize', () => serializeDiagram(model));
    return { idMap: change.idMap, resolved: change.resolved, xml, model };
  },
};

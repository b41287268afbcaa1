import {
  applyOperations,
  canonicalHash,
  DEFAULT_OPERATION_LIMITS,
  emptyDiagramXml,
  parseDiagram,
  serializeDiagram,
  type Operation,
} from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';

/** Test events: a diagram created empty (v1) and a task added (v2), with the hashes they carry. */
export async function twoVersions() {
  const source = emptyDiagramXml();
  const model = await parseDiagram(source);
  const xml1 = await serializeDiagram(model);
  const proposed: Operation[] = [
    {
      kind: 'createShape',
      id: 'tmp-task',
      type: 'bpmn:Task',
      parentId: '',
      bounds: { x: 100, y: 100, width: 100, height: 80 },
      name: 'Check',
    },
  ];
  const applied = await applyOperations(model, proposed, { version: 2, limits: DEFAULT_OPERATION_LIMITS });
  const xml2 = await serializeDiagram(model);
  const base = {
    eventSchemaVersion: 1,
    tenantId: 't',
    diagramId: 'd',
    actorId: 'alice',
    actorKind: 'USER' as const,
    runId: null,
    requestId: null,
    occurredAt: new Date(0),
    idMap: {},
  };
  const created: DiagramEvent = {
    ...base,
    eventType: 'DIAGRAM_CREATED',
    diagramName: 'd',
    version: 1,
    baseVersion: 0,
    transactionId: 'tx1',
    operations: [{ kind: 'importXml', xml: source }],
    resultHash: canonicalHash(xml1),
  };
  const changed: DiagramEvent = {
    ...base,
    eventType: 'CHANGES_APPLIED',
    diagramName: null,
    version: 2,
    baseVersion: 1,
    transactionId: 'tx2',
    operations: applied.resolved,
    idMap: applied.idMap,
    resultHash: canonicalHash(xml2),
  };
  return { created, changed, xml1, xml2 };
}

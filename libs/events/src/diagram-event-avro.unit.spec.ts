import { describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from './diagram-event.js';
import { fromAvroRecord, operationFromAvro, operationToAvro, toAvroRecord } from './diagram-event-avro.js';
import { diagramEventAvroType } from './diagram-event-schema.js';
import { EventError } from './event-error.js';
import { computeResultHash } from './result-hash.js';

const oneOfEachKind: Operation[] = [
  {
    kind: 'createShape',
    id: 'Task_1',
    type: 'bpmn:Task',
    parentId: '',
    bounds: { x: 1, y: 2, width: 100, height: 80 },
    name: 'A',
  },
  {
    kind: 'createConnection',
    id: 'Flow_1',
    type: 'bpmn:SequenceFlow',
    sourceId: 'S',
    targetId: 'Task_1',
    waypoints: [
      { x: 0, y: 0 },
      { x: 5.5, y: 0 },
    ],
    name: '',
  },
  { kind: 'moveElements', elementIds: ['Task_1'], delta: { x: -3, y: 4 }, newParentId: '' },
  { kind: 'resizeShape', elementId: 'Task_1', bounds: { x: 1, y: 2, width: 120, height: 90 } },
  { kind: 'updateWaypoints', elementId: 'Flow_1', waypoints: [{ x: 1, y: 1 }] },
  {
    kind: 'updateProperties',
    elementId: 'Task_1',
    properties: { name: 'B', documentation: null, nested: { a: [1, true, 'x'] } },
  },
  { kind: 'deleteElements', elementIds: ['Flow_1', 'Task_1'] },
  { kind: 'replaceElement', elementId: 'Task_1', newType: 'bpmn:UserTask' },
  { kind: 'importXml', xml: '<definitions/>' },
];

const event: DiagramEvent = {
  eventSchemaVersion: 1,
  eventType: 'CHANGES_APPLIED',
  tenantId: 'acme',
  diagramId: 'd1',
  diagramName: null,
  version: 7,
  baseVersion: 6,
  transactionId: 'tx-7',
  actorId: 'agent-1',
  actorKind: 'AGENT',
  runId: 'run-1',
  requestId: null,
  occurredAt: new Date('2026-01-01T00:00:00.123Z'),
  operations: oneOfEachKind,
  idMap: { tmp: 'Task_1' },
  resultHash: computeResultHash('<definitions/>'),
};

describe('diagram event ↔ Avro record', () => {
  it('maps every operation kind to its record and back unchanged', () => {
    for (const op of oneOfEachKind) expect(operationFromAvro(operationToAvro(op))).toEqual(op);
  });

  it('maps a whole event to a record the v1 schema accepts, in snake_case, and back', () => {
    const record = toAvroRecord(event);
    expect(record).toMatchObject({
      tenant_id: 'acme',
      base_version: 6,
      occurred_at: 1767225600123,
      run_id: 'run-1',
      request_id: null,
    });
    const type = diagramEventAvroType();
    expect(type.isValid(record)).toBe(true);
    expect(fromAvroRecord(type.fromBuffer(type.toBuffer(record)))).toEqual(event);
  });

  it('refuses an operation record it does not know (written by a newer producer) with a typed error', () => {
    expect(() => operationFromAvro({ 'dev.flowledger.events.Teleport': {} })).toThrow(EventError);
  });

  it('hashes the canonical XML as lowercase sha256 hex', () => {
    expect(computeResultHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { loadProtoDefinition } from '@flowledger/protos';
import type { Operation } from './operation.js';
import { operationFromProto, operationToProto } from './proto-mapping.js';

/** Propose's own (de)serializers: the exact wire path a gRPC call takes. */
function wire(): grpc.MethodDefinition<object, object> {
  const definition = loadProtoDefinition(['flowledger/modeling/v1/modeling.proto']);
  const service = definition['flowledger.modeling.v1.ModelingService'] as grpc.ServiceDefinition;
  return service.Propose as grpc.MethodDefinition<object, object>;
}

const every: Operation[] = [
  {
    kind: 'createShape',
    id: 't',
    type: 'bpmn:Task',
    parentId: 'P',
    bounds: { x: 1.5, y: 2, width: 100, height: 80 },
    name: 'Task',
  },
  {
    kind: 'createConnection',
    id: 'c',
    type: 'bpmn:SequenceFlow',
    sourceId: 'a',
    targetId: 'b',
    waypoints: [
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ],
    name: '',
  },
  { kind: 'moveElements', elementIds: ['a', 'b'], delta: { x: -10, y: 0.5 }, newParentId: '' },
  { kind: 'resizeShape', elementId: 'a', bounds: { x: 0, y: 0, width: 1, height: 1 } },
  {
    kind: 'updateWaypoints',
    elementId: 'c',
    waypoints: [
      { x: 0, y: 0 },
      { x: 5, y: 5 },
    ],
  },
  {
    kind: 'updateProperties',
    elementId: 'a',
    properties: {
      name: 'x',
      isInterrupting: false,
      count: 3.5,
      gone: null,
      nested: { list: [1, 'two', true, null, { deep: [] }] },
    },
  },
  { kind: 'deleteElements', elementIds: ['a'] },
  { kind: 'replaceElement', elementId: 'a', newType: 'bpmn:UserTask' },
  { kind: 'importXml', xml: '<bpmn:definitions/>' },
];

describe('proto mapping', () => {
  it.each(every.map((op) => [op.kind, op] as const))('round-trips %s through the wire format', (_, operation) => {
    // given
    const propose = wire();

    // when
    const bytes = propose.requestSerialize({
      diagramId: 'd',
      baseVersion: 3,
      operations: [operationToProto(operation)],
    });
    const decoded = propose.requestDeserialize(bytes) as { baseVersion: number; operations: Record<string, unknown>[] };

    // then
    expect(decoded.baseVersion).toBe(3);
    expect(decoded.operations[0]!.op).toBe(operation.kind);
    expect(operationFromProto(decoded.operations[0]!)).toEqual(operation);
  });

  it('reads a Struct value by its kind', () => {
    const op = operationFromProto({
      op: 'updateProperties',
      updateProperties: {
        elementId: 'a',
        properties: {
          fields: {
            name: { stringValue: 'x', kind: 'stringValue' },
            off: { nullValue: 'NULL_VALUE', kind: 'nullValue' },
          },
        },
      },
    });
    expect(op).toEqual({ kind: 'updateProperties', elementId: 'a', properties: { name: 'x', off: null } });
  });

  it('refuses an operation with nothing set', () => {
    expect(() => operationFromProto({})).toThrow(/exactly one/);
  });
});

import * as grpc from '@grpc/grpc-js';
import { loadStackConfig } from '@flowledger/config';
import { canonicalHash, operationToProto, type Operation } from '@flowledger/bpmn-operations';
import { afterAll, describe, expect, it } from 'vitest';
import { MODDLE_SERVICE_NAME, loadDefinitions } from './proto-definitions.js';

const config = loadStackConfig();
const packages = loadDefinitions();
const sidecar = new packages.flowledger.moddle.v1.ModdleSidecarService(
  config.moddle.address,
  grpc.credentials.createInsecure(),
);
const health = new packages.grpc.health.v1.Health(config.moddle.address, grpc.credentials.createInsecure());

afterAll(() => {
  sidecar.close();
  health.close();
});

function call<T>(client: grpc.Client, method: string, request: object): Promise<T> {
  return new Promise((resolve, reject) =>
    (client as unknown as Record<string, (r: object, cb: (e: grpc.ServiceError | null, v: T) => void) => void>)[
      method
    ]!(request, (error, value) => (error ? reject(error) : resolve(value))),
  );
}

interface ApplyResponse {
  result: 'applied' | 'rejected';
  applied?: {
    xml: string;
    idMap: Record<string, string>;
    resolved: object[];
    hash: string;
    touchedElementIds: string[];
    elementCount: number;
  };
  rejected?: { code: string; message: string; violations: { rule: string; line: number }[]; currentVersion: number };
}

const createTaskAndFlow: Operation[] = [
  {
    kind: 'createShape',
    id: 'start',
    type: 'bpmn:StartEvent',
    parentId: '',
    bounds: { x: 100, y: 100, width: 36, height: 36 },
    name: '',
  },
  {
    kind: 'createShape',
    id: 'task',
    type: 'bpmn:Task',
    parentId: '',
    bounds: { x: 200, y: 78, width: 100, height: 80 },
    name: 'Work',
  },
  {
    kind: 'createConnection',
    id: 'flow',
    type: 'bpmn:SequenceFlow',
    sourceId: 'start',
    targetId: 'task',
    waypoints: [],
    name: '',
  },
];

describe('moddle sidecar', () => {
  it('reports SERVING for itself over grpc.health.v1', async () => {
    const response = await call<{ status: string }>(health, 'Check', { service: MODDLE_SERVICE_NAME });
    expect(response.status).toBe('SERVING');
  });

  it('applies operations to the empty diagram and returns XML, id map, resolved operations and hash', async () => {
    // when
    const response = await call<ApplyResponse>(sidecar, 'Apply', {
      xml: '',
      version: 2,
      operations: createTaskAndFlow.map(operationToProto),
    });

    // then
    expect(response.result).toBe('applied');
    const applied = response.applied!;
    expect(applied.idMap).toEqual({ start: 'StartEvent_2_1', task: 'Task_2_2', flow: 'SequenceFlow_2_3' });
    expect(applied.xml).toContain(
      '<bpmn:sequenceFlow id="SequenceFlow_2_3" sourceRef="StartEvent_2_1" targetRef="Task_2_2" />',
    );
    expect(applied.hash).toBe(canonicalHash(applied.xml));
    expect(applied.resolved).toHaveLength(3);
    expect(applied.resolved[2]).toMatchObject({
      op: 'createConnection',
      createConnection: { id: 'SequenceFlow_2_3', sourceId: 'StartEvent_2_1' },
    });
    expect(applied.touchedElementIds).toEqual(['StartEvent_2_1', 'Task_2_2', 'SequenceFlow_2_3']);
    expect(applied.elementCount).toBe(5);
  });

  it('applies further operations to the XML it returned', async () => {
    // given
    const first = await call<ApplyResponse>(sidecar, 'Apply', {
      xml: '',
      version: 2,
      operations: createTaskAndFlow.map(operationToProto),
    });

    // when
    const second = await call<ApplyResponse>(sidecar, 'Apply', {
      xml: first.applied!.xml,
      version: 3,
      operations: [
        operationToProto({
          kind: 'updateProperties',
          elementId: 'Task_2_2',
          properties: { name: 'Renamed', documentation: null },
        }),
        operationToProto({ kind: 'replaceElement', elementId: 'Task_2_2', newType: 'bpmn:UserTask' }),
      ],
    });

    // then
    expect(second.applied!.xml).toContain('<bpmn:userTask id="Task_2_2" name="Renamed">');
  });

  it('answers a refused proposal with Rejected INVALID_OPERATION', async () => {
    const response = await call<ApplyResponse>(sidecar, 'Apply', {
      xml: '',
      version: 2,
      operations: [operationToProto({ kind: 'deleteElements', elementIds: ['Nope'] })],
    });
    expect(response.result).toBe('rejected');
    expect(response.rejected).toMatchObject({ code: 'REJECT_CODE_INVALID_OPERATION', currentVersion: 1 });
    expect(response.rejected!.message).toContain('unknown element "Nope"');
  });

  it('answers XML that is not BPMN with Rejected INVALID_OPERATION and its position', async () => {
    const response = await call<ApplyResponse>(sidecar, 'Apply', { xml: '<a>\n<b></a>', version: 5, operations: [] });
    expect(response.rejected).toMatchObject({ code: 'REJECT_CODE_INVALID_OPERATION' });
    expect(response.rejected!.violations[0]).toMatchObject({ rule: 'bpmn-parse', line: 2 });
  });

  it('applies the limits given in the request', async () => {
    const response = await call<ApplyResponse>(sidecar, 'Apply', {
      xml: '',
      version: 2,
      operations: createTaskAndFlow.map(operationToProto),
      limits: { maxElementsPerDiagram: 3 },
    });
    expect(response.rejected).toMatchObject({
      code: 'REJECT_CODE_LIMIT_EXCEEDED',
      message: 'elements per diagram: 5 > max 3',
    });
  });
});

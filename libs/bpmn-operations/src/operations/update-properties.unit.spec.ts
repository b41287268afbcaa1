import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../operation.js';
import { serializeDiagram } from '../diagram.js';
import { apply, element, givenDiagram, reread, rejectionOf } from './diagram-fixtures.js';

const update = (elementId: string, properties: Record<string, JsonValue>) => ({
  kind: 'updateProperties' as const,
  elementId,
  properties,
});

describe('updateProperties', () => {
  it('sets name, documentation, a condition and simple attributes', async () => {
    // given
    const diagram = await givenDiagram('process');

    // when
    await apply(diagram, [
      update('Task_1', { name: 'Check order', documentation: 'Looks at the order.' }),
      update('Flow_3', { conditionExpression: '${!ok}', name: 'no' }),
      update('Gateway_1', { default: 'Flow_4', gatewayDirection: 'Diverging' }),
      update('BoundaryEvent_1', { cancelActivity: false }),
      update('TextAnnotation_1', { text: 'Changed' }),
    ]);

    // then
    const xml = await serializeDiagram(diagram);
    expect(element(diagram, 'Task_1').name).toBe('Check order');
    expect(element(diagram, 'Task_1').documentation[0].text).toBe('Looks at the order.');
    expect(xml).toContain(
      '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${!ok}</bpmn:conditionExpression>',
    );
    expect(xml).toContain(
      '<bpmn:exclusiveGateway id="Gateway_1" name="OK?" gatewayDirection="Diverging" default="Flow_4">',
    );
    expect(xml).toContain('<bpmn:boundaryEvent id="BoundaryEvent_1" cancelActivity="false" attachedToRef="Task_1">');
    expect(xml).toContain('<bpmn:text>Changed</bpmn:text>');
    await reread(diagram);
  });

  it('removes properties set to null', async () => {
    const diagram = await givenDiagram('process');
    await apply(diagram, [
      update('Task_1', { documentation: 'x' }),
      update('Task_1', { name: null, documentation: null }),
    ]);
    const xml = await serializeDiagram(diagram);
    expect(xml).toContain('<bpmn:task id="Task_1">');
    expect(xml).not.toContain('documentation');
  });

  it('sets isInterrupting of a start event in an event sub-process', async () => {
    const diagram = await givenDiagram('process');
    await apply(diagram, [
      update('SubProcess_1', { triggeredByEvent: true }),
      update('StartEvent_2', { isInterrupting: false }),
    ]);
    expect(await serializeDiagram(diagram)).toContain('<bpmn:startEvent id="StartEvent_2" isInterrupting="false">');
  });

  it('resolves a temporary flow id given as default', async () => {
    const diagram = await givenDiagram('process');
    const change = await apply(diagram, [
      {
        kind: 'createConnection',
        id: 'f',
        type: 'bpmn:SequenceFlow',
        sourceId: 'Gateway_1',
        targetId: 'Task_1',
        waypoints: [],
        name: '',
      },
      update('Gateway_1', { default: 'f' }),
    ]);
    expect(change.resolved[1]).toEqual(update('Gateway_1', { default: 'SequenceFlow_7_1' }));
  });

  describe('refuses', () => {
    it.each([
      ['an unknown property', update('Task_1', { colour: 'red' }), 'no settable property "colour"'],
      ['the id', update('Task_1', { id: 'Other' }), 'no settable property "id"'],
      ['a reference', update('Flow_1', { sourceRef: 'Task_2' }), 'no settable property "sourceRef"'],
      [
        'a condition on a task',
        update('Task_1', { conditionExpression: 'x' }),
        'no settable property "conditionExpression"',
      ],
      ['a wrong value type', update('BoundaryEvent_1', { cancelActivity: 'no' }), 'must be a Boolean'],
      ['an enumeration value outside it', update('Gateway_1', { gatewayDirection: 'Sideways' }), 'one of'],
      [
        'a default flow that does not leave the element',
        update('Gateway_1', { default: 'Flow_1' }),
        'not an outgoing sequence flow',
      ],
      ['a default on an event', update('EndEvent_1', { default: 'Flow_4' }), 'no settable property "default"'],
      ['an unknown element', update('Nope', { name: 'x' }), 'unknown element'],
    ])('%s as INVALID_OPERATION', async (_, operation, message) => {
      const error = await rejectionOf(await givenDiagram('process'), [operation]);
      expect(error.code).toBe('INVALID_OPERATION');
      expect(error.message).toContain(message);
    });

    it('a string longer than the limit as LIMIT_EXCEEDED', async () => {
      const error = await rejectionOf(
        await givenDiagram('process'),
        [update('Task_1', { documentation: 'x'.repeat(50) })],
        {
          maxStringLength: 20,
        },
      );
      expect(error.code).toBe('LIMIT_EXCEEDED');
      expect(error.message).toContain('documentation length: 50 > max 20');
    });
  });
});

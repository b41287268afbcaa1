import type { Operation } from '@flowledger/bpmn-operations';

/** Terse builders for the operations the contract tests propose. */
export function shape(id: string, type: string, x: number, y = 100, name = ''): Operation {
  const size = type.endsWith('Event') ? 36 : type.endsWith('Gateway') ? 50 : 100;
  return {
    kind: 'createShape',
    id,
    type,
    parentId: '',
    bounds: { x, y, width: size, height: size === 100 ? 80 : size },
    name,
  };
}

export function task(id: string, x: number, name = ''): Operation {
  return shape(id, 'bpmn:Task', x, 100, name);
}

/** A sequence flow; without `waypoints` drawn as a straight line between the shapes' centres. */
export function flow(
  id: string,
  sourceId: string,
  targetId: string,
  waypoints: { x: number; y: number }[] = [],
): Operation {
  return { kind: 'createConnection', id, type: 'bpmn:SequenceFlow', sourceId, targetId, waypoints, name: '' };
}

export function rename(elementId: string, name: string): Operation {
  return { kind: 'updateProperties', elementId, properties: { name } };
}

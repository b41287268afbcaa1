import { describe, expect, it } from 'vitest';
import { apply, givenDiagram, reread, rejectionOf, shapeBounds } from './diagram-fixtures.js';

describe('resizeShape', () => {
  it('sets the bounds of a shape', async () => {
    const diagram = await givenDiagram('process');
    const bounds = { x: 90, y: 300, width: 500, height: 260 };
    const change = await apply(diagram, [{ kind: 'resizeShape', elementId: 'SubProcess_1', bounds }]);
    expect(shapeBounds(diagram, 'SubProcess_1')).toEqual(bounds);
    expect(change.touchedElementIds).toEqual(['SubProcess_1']);
    await reread(diagram);
  });

  it.each([
    ['a connection', 'Flow_1', { x: 0, y: 0, width: 10, height: 10 }, 'has no shape'],
    ['an unknown element', 'Nope', { x: 0, y: 0, width: 10, height: 10 }, 'unknown element'],
    ['a negative size', 'Task_1', { x: 0, y: 0, width: -1, height: 10 }, 'positive width'],
  ])('refuses %s as INVALID_OPERATION', async (_, elementId, bounds, message) => {
    const error = await rejectionOf(await givenDiagram('process'), [{ kind: 'resizeShape', elementId, bounds }]);
    expect(error.code).toBe('INVALID_OPERATION');
    expect(error.message).toContain(message);
  });
});

import { describe, expect, it } from 'vitest';
import { apply, givenDiagram, reread, rejectionOf, waypoints } from './diagram-fixtures.js';

describe('updateWaypoints', () => {
  it('replaces the waypoints of a connection', async () => {
    const diagram = await givenDiagram('process');
    const points = [
      { x: 385, y: 143 },
      { x: 385, y: 180 },
      { x: 385, y: 222 },
    ];
    await apply(diagram, [{ kind: 'updateWaypoints', elementId: 'Flow_4', waypoints: points }]);
    expect(waypoints(diagram, 'Flow_4')).toEqual(points);
    await reread(diagram);
  });

  it.each([
    ['a shape', 'Task_1', 2, 'has no edge'],
    ['a single waypoint', 'Flow_1', 1, 'at least 2'],
  ])('refuses %s as INVALID_OPERATION', async (_, elementId, count, message) => {
    const points = Array.from({ length: count }, (_, i) => ({ x: i, y: i }));
    const error = await rejectionOf(await givenDiagram('process'), [
      { kind: 'updateWaypoints', elementId, waypoints: points },
    ]);
    expect(error.code).toBe('INVALID_OPERATION');
    expect(error.message).toContain(message);
  });

  it('refuses more waypoints than the limit as LIMIT_EXCEEDED', async () => {
    const points = Array.from({ length: 6 }, (_, i) => ({ x: i, y: i }));
    const error = await rejectionOf(
      await givenDiagram('process'),
      [{ kind: 'updateWaypoints', elementId: 'Flow_1', waypoints: points }],
      {
        maxWaypointsPerConnection: 5,
      },
    );
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toContain('waypoints per connection: 6 > max 5');
  });
});

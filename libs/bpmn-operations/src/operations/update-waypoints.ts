import { requireElement, type ApplyState } from '../apply-state.js';
import { edgeDiOf, waypointsOf } from '../model/di.js';
import type { UpdateWaypoints } from '../operation.js';
import { markChanged } from '../serialization/chunk-cache.js';

/** Replaces a connection's waypoints (at least two, at most the limit). */
export function updateWaypoints(state: ApplyState, op: UpdateWaypoints): UpdateWaypoints {
  const element = requireElement(state, op.elementId);
  const di = edgeDiOf(state, element);
  di.waypoint = waypointsOf(state, op.waypoints, element.id as string);
  markChanged(di);
  state.touched.add(element.id as string);
  return { ...op, elementId: element.id as string };
}

import type { ApplyState } from '../apply-state.js';
import type { Bounds } from '../operation.js';
import { lanesOf } from './containers.js';
import type { ModdleElement } from './moddle.js';

/** The innermost lane of `container` whose shape holds the centre of `bounds`. */
export function laneAt(state: ApplyState, container: ModdleElement, bounds: Bounds): ModdleElement | undefined {
  const cx = bounds.x + bounds.width / 2;
  const cy = bounds.y + bounds.height / 2;
  let found: ModdleElement | undefined;
  // Depth first: a nested lane comes after its parent, so the last hit is the innermost.
  for (const lane of lanesOf(container)) {
    const b = state.diagram.diByElementId.get(lane.id as string)?.bounds as Bounds | undefined;
    if (b && cx >= b.x && cx <= b.x + b.width && cy >= b.y && cy <= b.y + b.height) found = lane;
  }
  return found;
}

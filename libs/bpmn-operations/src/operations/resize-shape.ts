import { requireElement, type ApplyState } from '../apply-state.js';
import { checkBounds, shapeDiOf } from '../model/di.js';
import type { ResizeShape } from '../operation.js';
import { markChanged } from '../serialization/chunk-cache.js';

/** Sets a shape's bounds (position included); attached connections and labels are left as they are. */
export function resizeShape(state: ApplyState, op: ResizeShape): ResizeShape {
  const element = requireElement(state, op.elementId);
  const di = shapeDiOf(state, element);
  checkBounds(op.bounds, element.id as string);
  markChanged(di);
  Object.assign(di.bounds, { x: op.bounds.x, y: op.bounds.y, width: op.bounds.width, height: op.bounds.height });
  state.touched.add(element.id as string);
  return { ...op, elementId: element.id as string };
}

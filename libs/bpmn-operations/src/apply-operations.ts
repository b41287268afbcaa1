import type { ApplyState } from './apply-state.js';
import { countElements } from './count-elements.js';
import type { Diagram } from './diagram.js';
import type { Operation } from './operation.js';
import { OperationError, limitExceeded } from './operation-error.js';
import type { OperationLimits } from './operation-limits.js';
import { createConnection } from './operations/create-connection.js';
import { createShape } from './operations/create-shape.js';
import { deleteElements } from './operations/delete-elements.js';
import { importXml } from './operations/import-xml.js';
import { moveElements } from './operations/move-elements.js';
import { replaceElement } from './operations/replace-element.js';
import { resizeShape } from './operations/resize-shape.js';
import { updateProperties } from './operations/update-properties.js';
import { updateWaypoints } from './operations/update-waypoints.js';

export interface ApplyContext {
  /** The version the proposal becomes when applied; part of every permanent id. */
  version: number;
  limits: OperationLimits;
}

export interface AppliedChange {
  /** Temporary id (as proposed) → permanent id (as stored). */
  idMap: Record<string, string>;
  /** The operations as applied: temporary ids replaced by permanent ones. Replaying them on the same base gives the same diagram. */
  resolved: Operation[];
  /** Semantic ids created, changed or deleted (deletion cascades included; all ids of an imported diagram). */
  touchedElementIds: string[];
}

/**
 * Applies a proposal's operations in order. MUTATES `diagram`: the caller passes a working copy
 * it owns and discards it when this throws (an OperationError leaves the copy half-changed).
 * Async only because importXml parses; every other operation runs synchronously.
 */
export async function applyOperations(
  diagram: Diagram,
  operations: Operation[],
  context: ApplyContext,
): Promise<AppliedChange> {
  const state: ApplyState = {
    diagram,
    version: context.version,
    limits: context.limits,
    idMap: {},
    createdCount: 0,
    touched: new Set(),
    semanticDelta: 0,
  };
  // The element cap is checked only when the proposal grows the diagram. register/unregister
  // keep the change in count; an import replaces the index wholesale, so then it is counted first.
  const limited = Number.isFinite(context.limits.maxElementsPerDiagram);
  const imports = operations.some((op) => op.kind === 'importXml');
  const countBefore = limited && imports ? countElements(diagram) : undefined;
  const resolved: Operation[] = [];
  for (const [index, operation] of operations.entries()) {
    try {
      const applied = applyOne(state, operation);
      resolved.push(applied instanceof Promise ? await applied : applied);
    } catch (error) {
      if (error instanceof OperationError) {
        throw new OperationError(
          error.code,
          `operation ${index + 1} (${operation.kind}): ${error.message}`,
          error.violations,
          index,
        );
      }
      throw error;
    }
  }
  if (limited && (imports || state.semanticDelta > 0)) {
    const countAfter = countElements(diagram);
    const before = countBefore ?? countAfter - state.semanticDelta;
    if (countAfter > before && countAfter > context.limits.maxElementsPerDiagram) {
      throw limitExceeded(`elements per diagram: ${countAfter} > max ${context.limits.maxElementsPerDiagram}`);
    }
  }
  return { idMap: state.idMap, resolved, touchedElementIds: [...state.touched] };
}

function applyOne(state: ApplyState, operation: Operation): Operation | Promise<Operation> {
  switch (operation.kind) {
    case 'createShape':
      return createShape(state, operation);
    case 'createConnection':
      return createConnection(state, operation);
    case 'moveElements':
      return moveElements(state, operation);
    case 'resizeShape':
      return resizeShape(state, operation);
    case 'updateWaypoints':
      return updateWaypoints(state, operation);
    case 'updateProperties':
      return updateProperties(state, operation);
    case 'deleteElements':
      return deleteElements(state, operation);
    case 'replaceElement':
      return replaceElement(state, operation);
    case 'importXml':
      return importXml(state, operation);
    default: {
      const unknown: never = operation;
      throw new OperationError('INVALID_OPERATION', `unknown operation ${JSON.stringify(unknown)}`);
    }
  }
}

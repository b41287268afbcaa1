import type { Diagram } from './diagram.js';
import type { ModdleElement } from './model/moddle.js';
import { invalidOperation } from './operation-error.js';
import type { OperationLimits } from './operation-limits.js';

/** What the operations of one proposal share while they are applied in order. */
export interface ApplyState {
  diagram: Diagram;
  /** The version the proposal will become; part of every permanent id. */
  version: number;
  limits: OperationLimits;
  /** Temporary id (as proposed) → permanent id. */
  idMap: Record<string, string>;
  /** How many elements the proposal has created so far: the last one's ordinal. */
  createdCount: number;
  touched: Set<string>;
  /** How the count of semantic elements (countElements) changed through register/unregister. */
  semanticDelta: number;
}

/** A permanent id for an id the proposal refers to: earlier temporary ids map to theirs. */
export function resolveId(state: ApplyState, id: string): string {
  return state.idMap[id] ?? id;
}

/** The semantic element `id` (temporary or permanent) names; INVALID_OPERATION when there is none. */
export function requireElement(state: ApplyState, id: string): ModdleElement {
  const permanent = resolveId(state, id);
  const element = state.diagram.elementsById.get(permanent);
  if (!element || !element.$type.startsWith('bpmn:')) {
    throw invalidOperation(`unknown element "${id}"`, id, 'unknown-element');
  }
  return element;
}

/** A temporary id must be non-empty, unused in the diagram and not proposed twice. */
export function checkTemporaryId(state: ApplyState, id: string): void {
  if (id === '') throw invalidOperation('a new element needs a temporary id', '', 'missing-id');
  if (Object.hasOwn(state.idMap, id)) {
    throw invalidOperation(`temporary id "${id}" is used twice in this proposal`, id, 'duplicate-id');
  }
  if (state.diagram.elementsById.has(id)) {
    throw invalidOperation(`id "${id}" is already used in the diagram`, id, 'duplicate-id');
  }
}

/**
 * `base` when it is free, else `base_2`, `base_3`, …: free means neither in the diagram nor a
 * temporary id of this proposal (a later operation referring to that temporary id would be ambiguous).
 */
export function uniqueId(state: ApplyState, base: string): string {
  const taken = (id: string): boolean => state.diagram.elementsById.has(id) || Object.hasOwn(state.idMap, id);
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!taken(candidate)) return candidate;
  }
}

/** `<LocalTypeName>_<version>_<ordinal>`, made unique by uniqueId. */
export function permanentId(state: ApplyState, type: string, ordinal: number): string {
  return uniqueId(state, `${type.slice(type.indexOf(':') + 1)}_${state.version}_${ordinal}`);
}

export function register(state: ApplyState, element: ModdleElement): void {
  const previous = state.diagram.elementsById.get(element.id as string);
  state.semanticDelta += isSemantic(element) - (previous ? isSemantic(previous) : 0);
  state.diagram.elementsById.set(element.id as string, element);
}

export function unregister(state: ApplyState, element: ModdleElement): void {
  const id = element.id as string | undefined;
  if (id !== undefined && state.diagram.elementsById.get(id) === element) {
    state.diagram.elementsById.delete(id);
    state.semanticDelta -= isSemantic(element);
  }
}

/** 1 for what countElements counts (a bpmn: element), 0 for DI. */
function isSemantic(element: ModdleElement): number {
  return element.$type.startsWith('bpmn:') ? 1 : 0;
}

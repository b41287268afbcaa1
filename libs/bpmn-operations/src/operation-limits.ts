import { limitExceeded } from './operation-error.js';

/** Size limits a proposal is checked against; the command service may configure its own. */
export interface OperationLimits {
  maxWaypointsPerConnection: number;
  /** Semantic elements with an id (see countElements); checked only when a proposal grows the diagram. */
  maxElementsPerDiagram: number;
  /** Names, documentation and every other string property set by an operation. */
  maxStringLength: number;
}

export const DEFAULT_OPERATION_LIMITS: Readonly<OperationLimits> = Object.freeze({
  maxWaypointsPerConnection: 200,
  maxElementsPerDiagram: 10_000,
  maxStringLength: 10_000,
});

export function checkStringLength(what: string, value: string, limits: OperationLimits, elementId = ''): void {
  if (value.length > limits.maxStringLength) {
    throw limitExceeded(`${what} length: ${value.length} > max ${limits.maxStringLength}`, elementId);
  }
}

export function checkWaypointCount(count: number, limits: OperationLimits, elementId = ''): void {
  if (count > limits.maxWaypointsPerConnection) {
    throw limitExceeded(`waypoints per connection: ${count} > max ${limits.maxWaypointsPerConnection}`, elementId);
  }
}

import type { Operation } from '@flowledger/bpmn-operations';
import { Rejection, violation } from '../rejection.js';

/** Hard caps on one proposal (DESIGN.md §9); all configurable, each named in its rejection. */
export interface ProposalLimits {
  maxOperationsPerProposal: number;
  maxXmlBytes: number;
  maxStringLength: number;
  maxWaypointsPerConnection: number;
  maxElementsPerDiagram: number;
}

export const DEFAULT_PROPOSAL_LIMITS: ProposalLimits = {
  maxOperationsPerProposal: 500,
  maxXmlBytes: 5 * 1024 * 1024,
  maxStringLength: 10_000,
  maxWaypointsPerConnection: 200,
  maxElementsPerDiagram: 20_000,
};

/**
 * Checks what can be checked before touching the diagram: counts, sizes, string lengths.
 * Waypoints and element counts are checked again by the operations core as it applies them.
 */
export function checkProposalLimits(operations: Operation[], limits: ProposalLimits): void {
  exceed('operations per proposal', operations.length, limits.maxOperationsPerProposal);
  operations.forEach((op, index) => {
    if (op.kind === 'importXml') exceed('XML bytes', Buffer.byteLength(op.xml, 'utf8'), limits.maxXmlBytes, index);
    if ((op.kind === 'createConnection' || op.kind === 'updateWaypoints') && op.waypoints.length > 0) {
      exceed('waypoints per connection', op.waypoints.length, limits.maxWaypointsPerConnection, index);
    }
    if (op.kind !== 'importXml') {
      for (const [field, value] of strings(op))
        exceed(`string length (${field})`, value.length, limits.maxStringLength, index);
    }
  });
}

/** Checks a whole document (CreateDiagram's import) against the XML size cap. */
export function checkXmlSize(xml: string, limits: ProposalLimits): void {
  exceed('XML bytes', Buffer.byteLength(xml, 'utf8'), limits.maxXmlBytes);
}

function exceed(limit: string, actual: number, max: number, operationIndex?: number): void {
  if (actual <= max) return;
  const where = operationIndex === undefined ? '' : ` (operation ${operationIndex + 1})`;
  const message = `limit exceeded: ${limit} ${actual} > max ${max}${where}`;
  throw new Rejection('LIMIT_EXCEEDED', message, [violation({ rule: limit, message })]);
}

/** Every string inside an operation, with a dotted path naming where it is. */
function* strings(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield* strings(v, path ? `${path}.${k}` : k);
      if (typeof k === 'string' && k.length > 0) yield [`${path ? `${path}.` : ''}key`, k];
    }
  }
}

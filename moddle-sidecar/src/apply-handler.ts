import {
  DEFAULT_OPERATION_LIMITS,
  OperationError,
  applyOperations,
  canonicalHash,
  countElements,
  emptyDiagramXml,
  operationFromProto,
  operationToProto,
  parseDiagram,
  serializeDiagram,
  type OperationLimits,
  type ProtoObject,
} from '@flowledger/bpmn-operations';

/** `flowledger.moddle.v1.ApplyRequest` as proto-loader decodes it. */
export interface ApplyRequest {
  xml: string;
  version: number;
  operations: ProtoObject[];
  limits: { maxWaypointsPerConnection: number; maxElementsPerDiagram: number; maxStringLength: number } | null;
}

/** `ApplyResponse`: either the applied diagram or the contract's Rejected. */
export type ApplyResponse =
  | {
      applied: {
        xml: string;
        idMap: Record<string, string>;
        resolved: ProtoObject[];
        hash: string;
        touchedElementIds: string[];
        elementCount: number;
      };
    }
  | {
      rejected: {
        code: 'REJECT_CODE_INVALID_OPERATION' | 'REJECT_CODE_LIMIT_EXCEEDED';
        message: string;
        violations: { elementId: string; rule: string; message: string; line: number; column: number }[];
        currentVersion: number;
      };
    };

/**
 * Parse, apply, serialize, hash: the whole write path of one proposal on a fresh copy of the
 * diagram. A refused proposal is an answer (`rejected`), not a failure; anything else throws.
 */
export async function handleApply(request: ApplyRequest): Promise<ApplyResponse> {
  try {
    const diagram = await parseDiagram(request.xml === '' ? emptyDiagramXml() : request.xml);
    const operations = request.operations.map(operationFromProto);
    const change = await applyOperations(diagram, operations, { version: request.version, limits: limitsOf(request) });
    const xml = await serializeDiagram(diagram);
    return {
      applied: {
        xml,
        idMap: change.idMap,
        resolved: change.resolved.map(operationToProto),
        hash: canonicalHash(xml),
        touchedElementIds: change.touchedElementIds,
        elementCount: countElements(diagram),
      },
    };
  } catch (error) {
    if (!(error instanceof OperationError)) throw error;
    return {
      rejected: {
        code: `REJECT_CODE_${error.code}`,
        message: error.message,
        violations: error.violations,
        // The sidecar keeps no versions: the diagram it was given is `version - 1`.
        currentVersion: Math.max(0, request.version - 1),
      },
    };
  }
}

/** Zero (unset) fields take the defaults. */
function limitsOf(request: ApplyRequest): OperationLimits {
  const given = request.limits;
  return {
    maxWaypointsPerConnection: given?.maxWaypointsPerConnection || DEFAULT_OPERATION_LIMITS.maxWaypointsPerConnection,
    maxElementsPerDiagram: given?.maxElementsPerDiagram || DEFAULT_OPERATION_LIMITS.maxElementsPerDiagram,
    maxStringLength: given?.maxStringLength || DEFAULT_OPERATION_LIMITS.maxStringLength,
  };
}

export type * from './operation.js';
export { OperationError, type OperationErrorCode, type OperationViolation } from './operation-error.js';
export { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './operation-limits.js';
export {
  parseDiagram,
  parseStoredDiagram,
  seedStoredDiagram,
  serializeDiagram,
  emptyDiagramXml,
  type Diagram,
} from './diagram.js';
export { onSerializationMismatch, type MismatchHandler } from './serialization/self-check.js';
export { applyOperations, type AppliedChange, type ApplyContext } from './apply-operations.js';
export { canonicalHash } from './canonical-hash.js';
export { countElements } from './count-elements.js';
export { semanticSummary, type SemanticSummary } from './semantic-summary.js';
export {
  operationFromProto,
  operationToProto,
  structFromProto,
  structToProto,
  type ProtoObject,
} from './proto-mapping.js';
export { replayOperations, type AppliedRecord } from './replay-operations.js';

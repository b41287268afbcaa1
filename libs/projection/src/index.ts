export type { ProjectedChange, Projection, ProjectionBuild, ProjectionSink } from './projection.js';
export { DEFAULT_FREEZE_WAIT_MS, settleSideBySide } from './projection.js';
export { freezeTimeout, ProjectionError, type ProjectionErrorCode } from './projection-error.js';
export type { ChangeNotices, DiagramRef, LedgerSource, SnapshotSource, StoredSnapshot } from './projection-sources.js';
export { checkHash, diagramFromXml, replayEvent, verifyState, type ReplayedState } from './diagram-replay.js';
export { loadDiagramAt } from './cold-start.js';
export { DiagramStates, type DiagramState } from './diagram-states.js';
export {
  createChangeProcessor,
  type ChangeProcessor,
  type ChangeProcessorOptions,
  type BatchOutcome,
  type ProcessOutcome,
} from './change-processor.js';
export { createProjectionMetrics, type ProjectionMetrics } from './projection-metrics.js';
export { tenantOfTopic, tenantTopics } from './tenant-topics.js';
export { diagramKey } from './diagram-key.js';
export { chunkByDiagramSize, MAX_ELEMENTS_PER_WRITE, packWrites } from './write-chunks.js';
export {
  projectorGroupId,
  startProjector,
  type ProjectorLogger,
  type ProjectorOptions,
  type RunningProjector,
} from './projector-runner.js';
export type { RebuildFailure } from './batch-replay.js';
export {
  rebuildProjections,
  type RebuildOptions,
  type RebuildProgress,
  type RebuildReport,
} from './projection-rebuild.js';

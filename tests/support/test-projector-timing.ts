/**
 * Live projectors that tests start (in process or as a worker) look for new topics, rejoin and
 * measure their lag far more often than the services do, so a test waits seconds, not minutes.
 */
export const TEST_PROJECTOR_TIMING = {
  discoveryIntervalMs: 500,
  rejoinIntervalMs: 1_000,
  lagIntervalMs: 500,
} as const;

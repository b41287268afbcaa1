import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadStackConfig, type StackConfig } from '@flowledger/config';
import { DEFAULT_SNAPSHOT_POLICY, validatePolicy, type SnapshotPolicy } from './snapshot-policy.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  FLOWLEDGER_SNAPSHOT_BASE_K: positiveInt(DEFAULT_SNAPSHOT_POLICY.baseK),
  FLOWLEDGER_SNAPSHOT_MAX_K: positiveInt(DEFAULT_SNAPSHOT_POLICY.maxK),
  FLOWLEDGER_SNAPSHOT_REFERENCE_BYTES: positiveInt(DEFAULT_SNAPSHOT_POLICY.referenceBytes),
  /** Default: `var/snapshots` of the checkout. */
  FLOWLEDGER_SNAPSHOT_ARCHIVE_DIR: z.string().min(1).optional(),
  FLOWLEDGER_SNAPSHOTTER_METRICS_PORT: positiveInt(9467),
  /** Partitions of a tenant's snapshots topic when the snapshotter creates it. */
});

export interface SnapshotterConfig {
  policy: SnapshotPolicy;
  archiveDir: string;
  metricsPort: number;
  topicPartitions: number;
  stack: StackConfig;
}

export const DEFAULT_ARCHIVE_DIR = fileURLToPath(new URL('../../var/snapshots', import.meta.url));

/** Reads and validates the snapshotter's configuration once, at start; throws naming each bad variable. */
export function loadSnapshotterConfig(env: NodeJS.ProcessEnv = process.env): SnapshotterConfig {
  const stack = loadStackConfig(env);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid snapshotter configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    policy: validatePolicy({
      baseK: e.FLOWLEDGER_SNAPSHOT_BASE_K,
      maxK: e.FLOWLEDGER_SNAPSHOT_MAX_K,
      referenceBytes: e.FLOWLEDGER_SNAPSHOT_REFERENCE_BYTES,
    }),
    archiveDir: e.FLOWLEDGER_SNAPSHOT_ARCHIVE_DIR ?? DEFAULT_ARCHIVE_DIR,
    metricsPort: e.FLOWLEDGER_SNAPSHOTTER_METRICS_PORT,
    topicPartitions: stack.kafka.tenantTopicPartitions,
    stack,
  };
}

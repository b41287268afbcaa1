import { Consumer } from '@platformatic/kafka';
import { type KafkaConnection, READ_SIDE_METADATA_MAX_AGE_MS, validateConnection } from './kafka-connection.js';

export interface KafkaGroupLag {
  /**
   * Records on `topics` the group has not committed yet: per partition, the high watermark minus
   * the committed offset (minus the log start when the group has committed nothing there).
   */
  lag(topics: string[]): Promise<bigint>;
  close(): Promise<void>;
}

const EARLIEST = -2n;

/** Reads a consumer group's committed offsets from outside the group (it never joins it). */
export function createKafkaGroupLag(connection: KafkaConnection & { groupId: string }): KafkaGroupLag {
  validateConnection(connection);
  if (!connection.groupId) throw new Error('kafka: groupId is required for group lag');
  const client = new Consumer({
    clientId: connection.clientId,
    groupId: connection.groupId,
    bootstrapBrokers: connection.brokers,
    retries: 2,
    retryDelay: 250,
    metadataMaxAge: READ_SIDE_METADATA_MAX_AGE_MS,
  });
  return {
    async lag(topics) {
      if (topics.length === 0) return 0n;
      const ends = await client.listOffsets({ topics });
      const starts = await client.listOffsets({ topics, timestamp: EARLIEST });
      const committed = await client.listCommittedOffsets({
        topics: topics.map((topic) => ({ topic, partitions: (ends.get(topic) ?? []).map((_, i) => i) })),
      });
      let total = 0n;
      for (const topic of topics) {
        for (const [partition, end] of (ends.get(topic) ?? []).entries()) {
          const done = committed.get(topic)?.[partition] ?? -1n;
          const from = done >= 0n ? done : (starts.get(topic)?.[partition] ?? 0n);
          if (end > from) total += end - from;
        }
      }
      return total;
    },
    close: () => client.close(),
  };
}

import { Admin } from '@platformatic/kafka';
import { type KafkaConnection, validateConnection } from './kafka-connection.js';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Broker-side topic configuration, e.g. `{ 'cleanup.policy': 'delete' }`. */
  config?: Record<string, string>;
}

export interface KafkaAdmin {
  listTopics(): Promise<string[]>;
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  deleteTopics(names: string[]): Promise<void>;
  close(): Promise<void>;
}

export function createKafkaAdmin(connection: KafkaConnection): KafkaAdmin {
  validateConnection(connection);
  const admin = new Admin({
    clientId: connection.clientId,
    bootstrapBrokers: connection.brokers,
    retries: 2,
    timeout: 5000,
  });
  const listTopics = async () => (await admin.listTopics({ includeInternals: false })).sort();
  return {
    listTopics,
    async ensureTopics(topics) {
      const existing = new Set(await listTopics());
      for (const t of topics.filter((x) => !existing.has(x.name))) {
        try {
          await admin.createTopics({
            topics: [t.name],
            partitions: t.partitions,
            replicas: 1,
            configs: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
          });
        } catch (err) {
          // Another process created it between our list and our create: that is the goal.
          if (!(await listTopics()).includes(t.name)) throw err;
        }
      }
    },
    async deleteTopics(names) {
      if (names.length > 0) await admin.deleteTopics({ topics: names });
    },
    close: () => admin.close(),
  };
}

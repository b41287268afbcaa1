import { loadStackConfig } from '@flowledger/config';
import { createEventCodec, diagramEventsTopic, type DiagramEvent } from '@flowledger/events';
import { createKafkaPartitionReader } from '@flowledger/kafka';

export interface TopicRecord {
  event: DiagramEvent;
  key: string;
  partition: number;
  offset: bigint;
  /** Kafka record headers (`traceparent`, `tenant-id`, `event-type`, `content-type`). */
  headers: Record<string, string>;
}

/**
 * Reads a tenant's diagram-events topic straight from the log (libs/kafka's partition reader,
 * outside any consumer group) and decodes each record through the schema registry.
 */
export function openTopicReader(name: string) {
  const config = loadStackConfig();
  const reader = createKafkaPartitionReader({ brokers: config.kafka.brokers, clientId: `${name}-${process.pid}` });
  const codec = createEventCodec({ registryUrl: config.schemaRegistry.url });

  /**
   * Every record of the tenant's topic, decoded, partition by partition in offset order. A read
   * that fails (the broker restarting) is repeated from scratch for up to a minute.
   */
  const readAll = async (tenantId: string): Promise<TopicRecord[]> => {
    for (const until = Date.now() + 60_000; ;) {
      try {
        return await readOnce(tenantId);
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };

  const readOnce = async (tenantId: string): Promise<TopicRecord[]> => {
    const topic = diagramEventsTopic(tenantId);
    const out: TopicRecord[] = [];
    const partitions = await reader.partitionCount(topic);
    for (let p = 0; p < partitions; p++) {
      const { start, end } = await reader.offsets(topic, p);
      for (const r of await reader.read(topic, p, start, end)) {
        out.push({
          event: await codec.decode(r.value),
          key: r.key,
          partition: r.partition,
          offset: r.offset,
          headers: r.headers,
        });
      }
    }
    return out;
  };

  return {
    readAll,
    /** One diagram's versions in topic order (its records share one partition, keyed by diagram id). */
    async versionsOf(tenantId: string, diagramId: string): Promise<number[]> {
      return (await readAll(tenantId)).filter((r) => r.event.diagramId === diagramId).map((r) => r.event.version);
    },
    close: () => reader.close(),
  };
}

export type TopicReader = ReturnType<typeof openTopicReader>;

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

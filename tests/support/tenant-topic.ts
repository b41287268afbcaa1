import { loadStackConfig } from '@flowledger/config';
import { createEventCodec, diagramEventsTopic, type DiagramEvent } from '@flowledger/events';
import { createKafkaPartitionReader, type KafkaPartitionReader } from '@flowledger/kafka';

/**
 * Reads a tenant's `flowledger.<tenant>.diagram-events` topic the way any outside consumer
 * could: end offsets to count what was appended, records decoded through the schema registry.
 */
export function topicRecordCount(tenantId: string): Promise<bigint> {
  return withTopic(tenantId, async (reader, topic, partitions) => {
    let total = 0n;
    for (let p = 0; p < partitions; p++) total += (await reader.offsets(topic, p)).end;
    return total;
  });
}

/** Every event on the tenant's topic, decoded, in (partition, offset) order. */
export function topicEvents(tenantId: string): Promise<DiagramEvent[]> {
  const codec = createEventCodec({ registryUrl: loadStackConfig().schemaRegistry.url });
  return withTopic(tenantId, async (reader, topic, partitions) => {
    const events: DiagramEvent[] = [];
    for (let p = 0; p < partitions; p++) {
      const { start, end } = await reader.offsets(topic, p);
      for (const record of await reader.read(topic, p, start, end)) events.push(await codec.decode(record.value));
    }
    return events;
  });
}

async function withTopic<T>(
  tenantId: string,
  use: (reader: KafkaPartitionReader, topic: string, partitions: number) => Promise<T>,
): Promise<T> {
  const topic = diagramEventsTopic(tenantId);
  const reader = createKafkaPartitionReader({
    brokers: loadStackConfig().kafka.brokers,
    clientId: `modeling-tests-${process.pid}`,
  });
  try {
    // The topic is created on a tenant's first append; before that, nothing was appended.
    const partitions = await reader.partitionCount(topic).catch((error: Error) => {
      if (/unknown topic|does not exist/i.test(error.message)) return 0;
      throw error;
    });
    return await use(reader, topic, partitions);
  } finally {
    await reader.close();
  }
}

import { loadStackConfig } from '@flowledger/config';
import { auditTopic, createAuditCodec, type AuditEntryEvent } from '@flowledger/events';
import { createKafkaPartitionReader } from '@flowledger/kafka';

/** A record of `flowledger.<tenant>.audit`, decoded through the schema registry, with its key and headers. */
export interface AuditRecord {
  key: string;
  headers: Record<string, string>;
  entry: AuditEntryEvent;
}

/** Every record on the tenant's audit topic, in (partition, offset) order; none before it exists. */
export async function auditRecords(tenantId: string): Promise<AuditRecord[]> {
  const config = loadStackConfig();
  const codec = createAuditCodec({ registryUrl: config.schemaRegistry.url });
  const reader = createKafkaPartitionReader({ brokers: config.kafka.brokers, clientId: `audit-tests-${process.pid}` });
  const topic = auditTopic(tenantId);
  try {
    const partitions = await reader.partitionCount(topic).catch((error: Error) => {
      if (/unknown topic|does not exist/i.test(error.message)) return 0;
      throw error;
    });
    const records: AuditRecord[] = [];
    for (let p = 0; p < partitions; p++) {
      const { start, end } = await reader.offsets(topic, p);
      for (const record of await reader.read(topic, p, start, end)) {
        records.push({ key: record.key, headers: record.headers, entry: await codec.decode(record.value) });
      }
    }
    return records;
  } finally {
    await reader.close();
  }
}

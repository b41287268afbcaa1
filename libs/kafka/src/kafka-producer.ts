import { Producer, ProduceAcks } from '@platformatic/kafka';
import { type KafkaConnection, validateConnection } from './kafka-connection.js';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface KafkaProducer {
  /** Resolves once every record is acknowledged by all in-sync replicas. */
  send(records: OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** An idempotent producer with acks=all: a retried send never duplicates or reorders a record. */
export function createKafkaProducer(connection: KafkaConnection): KafkaProducer {
  validateConnection(connection);
  const producer = new Producer({
    clientId: connection.clientId,
    bootstrapBrokers: connection.brokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    retries: 10,
    retryDelay: 250,
  });
  return {
    async send(records) {
      await producer.send({
        messages: records.map((r) => ({
          topic: r.topic,
          key: Buffer.from(r.key),
          value: r.value,
          headers: new Map(Object.entries(r.headers ?? {}).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])),
        })),
      });
    },
    close: () => producer.close(),
  };
}

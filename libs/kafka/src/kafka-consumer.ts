import { Consumer, MessagesStreamModes, MessagesStreamFallbackModes, type MessagesStream } from '@platformatic/kafka';
import { type KafkaConnection, validateConnection } from './kafka-connection.js';

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: bigint;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export interface ConsumeOptions {
  topics: string[];
  /** Called once per record, in partition order; its offset is committed only after it resolves. */
  onRecord(record: IncomingRecord): Promise<void>;
  /** Where a group with no committed offset starts (default: earliest, so nothing is missed). */
  startAt?: 'earliest' | 'latest';
}

export interface KafkaConsumer {
  /** Joins the group and delivers records until `close()`; rejects if a handler throws. */
  run(options: ConsumeOptions): Promise<void>;
  close(): Promise<void>;
}

/** A consumer-group member that commits an offset only after its handler succeeded (at-least-once). */
export function createKafkaConsumer(connection: KafkaConnection & { groupId: string }): KafkaConsumer {
  validateConnection(connection);
  if (!connection.groupId) throw new Error('kafka: groupId is required for a consumer');
  const consumer = new Consumer({
    clientId: connection.clientId,
    groupId: connection.groupId,
    bootstrapBrokers: connection.brokers,
    autocommit: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 500,
    maxWaitTime: 200,
  });
  let stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  let closing = false;
  return {
    async run({ topics, onRecord, startAt = 'earliest' }) {
      stream = await consumer.consume({
        topics,
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode:
          startAt === 'earliest' ? MessagesStreamFallbackModes.EARLIEST : MessagesStreamFallbackModes.LATEST,
      });
      try {
        for await (const message of stream) {
          await onRecord({
            topic: message.topic,
            partition: message.partition,
            offset: message.offset,
            key: message.key?.toString() ?? '',
            value: message.value,
            headers: Object.fromEntries([...message.headers].map(([k, v]) => [k.toString(), v.toString()])),
          });
          await message.commit();
        }
      } catch (err) {
        if (!closing) throw err;
      }
    },
    async close() {
      closing = true;
      await stream?.close();
      await consumer.close(true);
    },
  };
}

import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Consumer, MessagesStreamFallbackModes, MessagesStreamModes, Producer, ProduceAcks } from '@platformatic/kafka';
import { createKafkaConsumer, createKafkaProducer } from '../src/index.js';

/** One record as the harness writes it: `key|seq|` followed by filler up to the record size. */
export interface BenchRecord {
  topic: string;
  key: string;
  value: Buffer;
}

export interface BenchProducer {
  /** Resolves once every record is acknowledged (idempotent, acks=all). */
  send(records: BenchRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface BenchConsumer {
  close(): Promise<void>;
}

/** A Kafka client as the comparison drives it: the same calls, each client's own idiom underneath. */
export interface ClientUnderTest {
  name: string;
  /** Whether the restart scenario runs for this client (it costs every other user of the broker an outage). */
  restartScenario: boolean;
  producer(clientId: string): Promise<BenchProducer>;
  /** Joins a fresh group and calls `onRecord` for each record, committing after it returns. */
  consume(topic: string, groupId: string, onRecord: (value: Buffer) => void): Promise<BenchConsumer>;
  /** Client log lines at warn/error level since the last call (kafkajs only; platformatic reports by rejecting). */
  drainLog(): string[];
}

export function kafkajsClient(brokers: string[]): ClientUnderTest {
  const log: string[] = [];
  const kafka = new Kafka({
    clientId: 'bench-kafkajs',
    brokers,
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => log.push(`${entry.label} ${entry.log.message}`),
  });
  return {
    name: 'kafkajs 2.2.4',
    restartScenario: true,
    async producer() {
      const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      return {
        send: async (records) => {
          // every call of the harness writes to one topic
          await producer.send({
            topic: records[0]!.topic,
            acks: -1,
            messages: records.map(({ key, value }) => ({ key, value })),
          });
        },
        close: () => producer.disconnect(),
      };
    },
    async consume(topic, groupId, onRecord) {
      const consumer = kafka.consumer({
        groupId,
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 200,
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      // eachMessage + autoCommit: kafkajs commits the offsets of resolved handlers at the end of each batch.
      await consumer.run({ eachMessage: async ({ message }) => onRecord(message.value!) });
      return { close: () => consumer.disconnect() };
    },
    drainLog: () => log.splice(0),
  };
}

/** @platformatic/kafka used directly, as its README shows: one `send()` per call, no queue in front. */
export function platformaticClient(brokers: string[]): ClientUnderTest {
  return {
    name: '@platformatic/kafka 1.35 (direct)',
    restartScenario: false,
    async producer(clientId) {
      const producer = new Producer({
        clientId,
        bootstrapBrokers: brokers,
        idempotent: true,
        acks: ProduceAcks.ALL,
        retries: 10,
        retryDelay: 250,
      });
      return {
        send: async (records) => {
          await producer.send({
            messages: records.map((r) => ({ topic: r.topic, key: Buffer.from(r.key), value: r.value })),
          });
        },
        close: () => producer.close(),
      };
    },
    async consume(topic, groupId, onRecord) {
      const consumer = new Consumer({
        clientId: `${groupId}-consumer`,
        groupId,
        bootstrapBrokers: brokers,
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
        maxWaitTime: 200,
      });
      const stream = await consumer.consume({
        topics: [topic],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamFallbackModes.EARLIEST,
        autocommit: 1000,
      });
      stream.on('data', (message) => onRecord(message.value));
      return {
        close: async () => {
          await stream.close();
          await consumer.close(true);
        },
      };
    },
    drainLog: () => [],
  };
}

/** Our adapter (libs/kafka): @platformatic/kafka behind a serial, coalescing send queue; commit per record. */
export function adapterClient(brokers: string[]): ClientUnderTest {
  const log: string[] = [];
  return {
    name: 'flowledger adapter (@platformatic/kafka 1.35)',
    restartScenario: true,
    async producer(clientId) {
      const producer = createKafkaProducer({ brokers, clientId });
      return {
        send: async (records) => {
          await producer.send(records);
        },
        close: () => producer.close(),
      };
    },
    async consume(topic, groupId, onRecord) {
      const consumer = createKafkaConsumer({ brokers, clientId: `${groupId}-consumer`, groupId });
      consumer
        .run({ topics: [topic], onRecord: async (r) => onRecord(r.value) })
        .catch((err: unknown) => log.push(`consumer stopped: ${String(err)}`));
      return consumer;
    },
    drainLog: () => log.splice(0),
  };
}

export { createKafkaAdmin, type KafkaAdmin, type TopicSpec } from './kafka-admin.js';
export { createKafkaProducer, type KafkaProducer, type OutgoingRecord } from './kafka-producer.js';
export { createKafkaConsumer, type KafkaConsumer, type IncomingRecord, type ConsumeOptions } from './kafka-consumer.js';
export type { KafkaConnection } from './kafka-connection.js';

export { createKafkaAdmin, type KafkaAdmin, type TopicSpec } from './kafka-admin.js';
export { createKafkaProducer, type KafkaProducer, type OutgoingRecord, type ProducedRecord } from './kafka-producer.js';
export {
  createKafkaPartitionReader,
  type KafkaPartitionReader,
  type PartitionOffsets,
} from './kafka-partition-reader.js';
export { partitionForKey } from './kafka-partitioning.js';
export { createKafkaConsumer, type KafkaConsumer, type IncomingRecord, type ConsumeOptions } from './kafka-consumer.js';
export type { KafkaConnection } from './kafka-connection.js';
export { createKafkaGroupLag, type KafkaGroupLag } from './kafka-group-lag.js';

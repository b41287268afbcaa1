/** Where a client connects and how it names itself to the broker. */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

export function validateConnection(c: KafkaConnection): void {
  if (c.brokers.length === 0) throw new Error('kafka: at least one broker is required');
  if (!c.clientId) throw new Error('kafka: clientId is required');
}

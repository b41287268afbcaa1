/** Where a client connects and how it names itself to the broker. */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

export function validateConnection(c: KafkaConnection): void {
  if (c.brokers.length === 0) throw new Error('kafka: at least one broker is required');
  if (!c.clientId) throw new Error('kafka: clientId is required');
}

/**
 * How long the read side's clients trust their topic metadata (the library re-reads it after 5 s
 * by default). A consumer or lag reader covers every tenant topic: with ~1,000 of them one re-read
 * costs ~7 ms in the client and ~5 ms in the broker. Leaders that move show up as errors, which
 * re-read it at once; a new topic is read when first asked for.
 */
export const READ_SIDE_METADATA_MAX_AGE_MS = 60_000;

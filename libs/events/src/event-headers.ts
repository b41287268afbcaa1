import type { DiagramEvent } from './diagram-event.js';

/** Lets consumers route and trace without decoding the value. */
export interface EventHeaderInput {
  event: Pick<DiagramEvent, 'tenantId' | 'eventType'>;
  /** W3C trace context of the request that produced the event, when there was one. */
  traceparent?: string | null;
}

export const AVRO_CONFLUENT_CONTENT_TYPE = 'application/vnd.confluent.avro';

export function buildEventHeaders({ event, traceparent }: EventHeaderInput): Record<string, string> {
  return {
    ...(traceparent ? { traceparent } : {}),
    'tenant-id': event.tenantId,
    'event-type': event.eventType,
    'content-type': AVRO_CONFLUENT_CONTENT_TYPE,
  };
}

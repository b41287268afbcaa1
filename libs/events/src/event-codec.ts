import { createAvroCodec, type AvroCodec } from './avro-codec.js';
import type { DiagramEvent } from './diagram-event.js';
import { fromAvroRecord, toAvroRecord } from './diagram-event-avro.js';
import { diagramEventAvroType, loadDiagramEventSchema } from './diagram-event-schema.js';
import { diagramEventsSubject } from './topics.js';

export interface EventCodecOptions {
  /** The registry's Confluent-compatible API, e.g. `http://localhost:8081/apis/ccompat/v7`. */
  registryUrl: string;
}

/** The Confluent wire format of `flowledger.<tenant>.diagram-events`. */
export type EventCodec = AvroCodec<DiagramEvent>;

export function createEventCodec({ registryUrl }: EventCodecOptions): EventCodec {
  return createAvroCodec(registryUrl, {
    name: 'diagram event',
    schema: loadDiagramEventSchema(),
    type: diagramEventAvroType(),
    subjectOf: (event) => diagramEventsSubject(event.tenantId),
    toAvro: toAvroRecord,
    fromAvro: fromAvroRecord,
  });
}

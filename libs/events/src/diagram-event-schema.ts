import { readFileSync } from 'node:fs';
import avro from 'avsc';

/**
 * The diagram-event schema file this code writes, read from `schemas/avro/` (the one source of
 * truth; nothing here restates it).
 */
export const DIAGRAM_EVENT_SCHEMA_FILE = new URL('../../../schemas/avro/diagram-event/v1.avsc', import.meta.url);

/**
 * How avsc maps unions: 'auto' leaves `["null","string"]` as plain values and wraps the
 * operation union (several records) as `{ "<full record name>": {...} }`. The codec and the
 * golden tests must agree on it, hence one definition. A fresh object each call: avsc stores
 * its registry of named types in the options it is given.
 */
export function avroTypeOptions(): { wrapUnions: 'auto' } {
  return { wrapUnions: 'auto' };
}

export function loadDiagramEventSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(DIAGRAM_EVENT_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

export function diagramEventAvroType(): avro.Type {
  return avro.Type.forSchema(loadDiagramEventSchema() as avro.Schema, avroTypeOptions());
}

/**
 * Schema ids are assigned by the registry, so a restored registry may give the same schema
 * another id. A Confluent-framed value is `0x00`, the schema id as a 4-byte big-endian integer,
 * then the Avro body: restore rewrites those four bytes to the new registry's id and leaves
 * every other byte as it was (pure; returns a copy).
 */
export function rewriteSchemaId(value: Buffer, ids: ReadonlyMap<number, number>): Buffer {
  if (value.length < 5 || value[0] !== 0) return value;
  const oldId = value.readInt32BE(1);
  const newId = ids.get(oldId);
  if (newId === undefined)
    throw new Error(`restore: record references schema id ${oldId}, which the backup does not hold`);
  if (newId === oldId) return value;
  const copy = Buffer.from(value);
  copy.writeInt32BE(newId, 1);
  return copy;
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rewriteSchemaId } from './schema-id-rewrite.js';

const framed = (id: number, body: Buffer) => {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, body]);
};

describe('rewriteSchemaId', () => {
  it('changes only the four id bytes of a Confluent-framed value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.uint8Array(),
        (from, to, body) => {
          const value = framed(from, Buffer.from(body));
          const out = rewriteSchemaId(value, new Map([[from, to]]));
          expect(out.readInt32BE(1)).toBe(to);
          expect(out[0]).toBe(0);
          expect(out.subarray(5).equals(value.subarray(5))).toBe(true);
          expect(value.readInt32BE(1)).toBe(from); // the input is untouched
        },
      ),
    );
  });

  it('refuses a record whose schema the backup does not hold, and leaves unframed values alone', () => {
    expect(() => rewriteSchemaId(framed(7, Buffer.from('x')), new Map())).toThrow(/schema id 7/);
    const plain = Buffer.from('{"json":true}');
    expect(rewriteSchemaId(plain, new Map())).toBe(plain);
  });
});

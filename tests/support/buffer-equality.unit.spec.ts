import { describe, expect, it } from 'vitest';

describe('Buffer equality in toEqual (tests/support/buffer-equality.ts)', () => {
  const record = () => Buffer.alloc(64 * 1024, 7);

  it('finds equal bytes equal, at any depth', () => {
    expect([record(), { value: record() }]).toEqual([record(), { value: record() }]);
  });

  it('finds one differing byte, a different length, or a Uint8Array unequal', () => {
    const changed = record();
    changed[30_000] = 8;
    expect(() => expect({ value: record() }).toEqual({ value: changed })).toThrow();
    expect(() => expect(record()).toEqual(record().subarray(1))).toThrow();
    expect(() => expect(Buffer.from('abc')).toEqual(new Uint8Array(Buffer.from('abc')))).toThrow();
  });
});

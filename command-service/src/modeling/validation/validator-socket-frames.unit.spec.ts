import { describe, expect, it } from 'vitest';
import { encodeRequest, refusalCode, ResponseFrameReader } from './validator-socket-frames.js';
import { XsdValidatorError } from './xsd-validator.js';

/** A response frame as validator-py's socket_frames.py writes one. */
function response(status: number, payload: string): Buffer {
  const body = Buffer.from(payload);
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt32BE(1 + body.length, 0);
  frame[4] = status;
  body.copy(frame, 5);
  return frame;
}

describe('request frames', () => {
  it('carry their length, the metadata as JSON and then the message', () => {
    // given
    const message = Buffer.from([0x0a, 0x01, 0x3c]);

    // when
    const frame = encodeRequest({ 'x-tenant-id': 'acme' }, message);

    // then
    const metadata = Buffer.from('{"x-tenant-id":"acme"}');
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    expect(frame.readUInt16BE(4)).toBe(metadata.length);
    expect(frame.subarray(6, 6 + metadata.length)).toEqual(metadata);
    expect(frame.subarray(6 + metadata.length)).toEqual(message);
  });

  it('without ids have an empty metadata block', () => {
    const frame = encodeRequest({}, Buffer.from('m'));

    expect([...frame]).toEqual([0, 0, 0, 3, 0, 0, 0x6d]);
  });

  it('keep the metadata within its 16-bit length, however long a caller-given id is', () => {
    const frame = encodeRequest({ 'x-request-id': 'r'.repeat(200_000) }, Buffer.alloc(0));

    const metadataLength = frame.readUInt16BE(4);
    expect(metadataLength).toBe(frame.length - 6);
    expect(JSON.parse(frame.subarray(6).toString())['x-request-id']).toBe('r'.repeat(1_024));
  });
});

describe('ResponseFrameReader', () => {
  it('joins a frame split across chunks, byte by byte', () => {
    const reader = new ResponseFrameReader();
    const bytes = response(0, 'verdict');

    const frames = [...bytes].flatMap((byte) => reader.push(Buffer.from([byte])));

    expect(frames).toEqual([{ status: 0, payload: Buffer.from('verdict') }]);
    expect(reader.pending).toBe(0);
  });

  it('splits several frames arriving in one chunk, and keeps the start of the next', () => {
    const reader = new ResponseFrameReader();
    const third = response(0, 'c');

    const frames = reader.push(Buffer.concat([response(0, 'a'), response(8, 'b'), third.subarray(0, 3)]));

    expect(frames).toEqual([
      { status: 0, payload: Buffer.from('a') },
      { status: 8, payload: Buffer.from('b') },
    ]);
    expect(reader.pending).toBe(3);
    expect(reader.push(third.subarray(3))).toEqual([{ status: 0, payload: Buffer.from('c') }]);
  });

  it('refuses a length no verdict has, as a broken stream', () => {
    const reader = new ResponseFrameReader();
    const length = Buffer.alloc(4);
    length.writeUInt32BE(0xffffffff);

    expect(() => reader.push(length)).toThrow(XsdValidatorError);
    expect(() => new ResponseFrameReader().push(Buffer.alloc(4))).toThrow(/a response frame of 0 bytes/);
  });
});

describe('refusalCode', () => {
  it("names validator-py's refusals by their gRPC status, anything else INTERNAL", () => {
    expect([3, 8, 13, 99].map(refusalCode)).toEqual(['INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED', 'INTERNAL', 'INTERNAL']);
  });
});

import { XsdValidatorError, type XsdValidatorErrorCode } from './xsd-validator.js';

/*
 * The frames of validator-py's local socket (validator-py README, "Transports"; its
 * socket_frames.py is the other side). Integers big-endian, `n` counting the bytes after itself:
 *
 *   request:  u32 n | u16 h | h bytes metadata (JSON object of strings) | ValidateRequest
 *   response: u32 n | u8 status | ValidateResponse (status 0) or a UTF-8 message (a gRPC status code)
 *
 * Pure: bytes in, bytes out.
 */

export interface ResponseFrame {
  status: number;
  payload: Buffer;
}

/** The server caps ids at 256 characters; this only keeps the header within its u16 length. */
const MAX_HEADER_VALUE_LENGTH = 1_024;
/** A verdict is small (at most FLOWLEDGER_VALIDATOR_MAX_ERRORS errors): a larger length is a broken stream. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function encodeRequest(headers: Record<string, string>, message: Uint8Array): Buffer {
  const entries = Object.entries(headers).map(([key, value]) => [key, value.slice(0, MAX_HEADER_VALUE_LENGTH)]);
  const metadata = entries.length > 0 ? Buffer.from(JSON.stringify(Object.fromEntries(entries))) : Buffer.alloc(0);
  const frame = Buffer.allocUnsafe(6 + metadata.length + message.length);
  frame.writeUInt32BE(2 + metadata.length + message.length, 0);
  frame.writeUInt16BE(metadata.length, 4);
  metadata.copy(frame, 6);
  frame.set(message, 6 + metadata.length);
  return frame;
}

/** Splits a stream of response bytes into frames, however the chunks fall. */
export class ResponseFrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ResponseFrame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: ResponseFrame[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (length < 1 || length > MAX_RESPONSE_BYTES) {
        throw new XsdValidatorError('INTERNAL', `validator socket: a response frame of ${length} bytes`);
      }
      if (this.buffered.length < 4 + length) break;
      frames.push({ status: this.buffered[4]!, payload: this.buffered.subarray(5, 4 + length) });
      this.buffered = this.buffered.subarray(4 + length);
    }
    return frames;
  }

  /** Bytes of a frame begun but not complete. */
  get pending(): number {
    return this.buffered.length;
  }
}

/** The gRPC status a refusal frame carries, by name. */
export function refusalCode(status: number): XsdValidatorErrorCode {
  return REFUSALS[status] ?? 'INTERNAL';
}

const REFUSALS: Record<number, XsdValidatorErrorCode> = {
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  8: 'RESOURCE_EXHAUSTED',
  13: 'INTERNAL',
};

import { createConnection, type Socket } from 'node:net';
import { refusalCode, ResponseFrameReader, type ResponseFrame } from './validator-socket-frames.js';
import { XsdValidatorError } from './xsd-validator.js';

interface Call {
  resolve(frame: ResponseFrame): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One kept-alive connection to validator-py's local socket, one call in flight at a time. Any
 * failure (the validator gone, a deadline, a refusal) ends the connection and rejects its call;
 * the pool opens another for the next.
 */
export class ValidatorSocketConnection {
  private readonly socket: Socket;
  private readonly reader = new ResponseFrameReader();
  private call: Call | undefined;
  private ended = false;

  constructor(
    private readonly path: string,
    private readonly onEnd: (connection: ValidatorSocketConnection) => void,
  ) {
    // Writes before the connection is up are queued by Node; a refused connect is an 'error'.
    this.socket = createConnection(path);
    // Idle, it must not keep the process alive; a call holds it (ref) until answered.
    this.socket.unref();
    this.socket.on('data', (chunk) => this.received(chunk));
    this.socket.on('error', (error) => this.end(unavailable(path, error)));
    this.socket.on('close', () => this.end(new XsdValidatorError('UNAVAILABLE', `validator socket ${path}: closed`)));
  }

  get alive(): boolean {
    return !this.ended;
  }

  /** Sends one request frame; resolves with the status-0 response, rejects with anything else. */
  send(frame: Buffer, timeoutMs: number): Promise<ResponseFrame> {
    if (this.ended)
      return Promise.reject(new XsdValidatorError('UNAVAILABLE', `validator socket ${this.path}: closed`));
    if (this.call) throw new Error('validator socket: one call at a time per connection');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.end(
            new XsdValidatorError('DEADLINE_EXCEEDED', `validator socket ${this.path}: no answer in ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      this.call = { resolve, reject, timer };
      this.socket.ref();
      this.socket.write(frame);
    });
  }

  close(): void {
    this.end(new XsdValidatorError('UNAVAILABLE', `validator socket ${this.path}: client closed`));
  }

  private received(chunk: Buffer): void {
    let frames: ResponseFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      return this.end(error as Error);
    }
    for (const frame of frames) {
      const call = this.call;
      if (!call) {
        return this.end(new XsdValidatorError('INTERNAL', `validator socket ${this.path}: an answer to no call`));
      }
      this.call = undefined;
      clearTimeout(call.timer);
      this.socket.unref();
      if (frame.status !== 0) {
        // The server closes after a refusal; so do we, with its reason.
        call.reject(new XsdValidatorError(refusalCode(frame.status), `validator: ${frame.payload.toString('utf8')}`));
        return this.end(new XsdValidatorError('UNAVAILABLE', `validator socket ${this.path}: closed after a refusal`));
      }
      call.resolve(frame);
    }
  }

  private end(error: Error): void {
    if (!this.ended) {
      this.ended = true;
      this.socket.destroy();
      this.onEnd(this);
    }
    const call = this.call;
    this.call = undefined;
    if (call) {
      clearTimeout(call.timer);
      call.reject(error);
    }
  }
}

function unavailable(path: string, error: NodeJS.ErrnoException): XsdValidatorError {
  const hint = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? ' (is the validator serving it?)' : '';
  return new XsdValidatorError('UNAVAILABLE', `validator socket ${path}: ${error.message}${hint}`, error);
}

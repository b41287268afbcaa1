import type { MethodDefinition, ServiceDefinition } from '@grpc/proto-loader';
import { callHeaders, type CallIds } from '../call-ids.js';
import { ValidatorSocketConnection } from './validator-socket-connection.js';
import { encodeRequest } from './validator-socket-frames.js';
import {
  loadValidationProto,
  toVerdict,
  VALIDATOR_SERVICE,
  XsdValidatorError,
  type ValidateResponse,
  type XsdValidator,
  type XsdVerdict,
} from './xsd-validator.js';

export interface XsdValidatorSocketOptions {
  /** validator-py's FLOWLEDGER_VALIDATOR_SOCKET. */
  path: string;
  /** Root of schemas/proto: the messages are validation.proto's, encoded as gRPC encodes them. */
  protoDir: string;
  /** Per call, waiting for a free connection included; then the connection is dropped. */
  timeoutMs?: number;
  /** Connections opened at most; calls beyond them wait for one. */
  maxConnections?: number;
}

interface Waiter {
  resolve(connection: ValidatorSocketConnection): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The XSD Validator over its local Unix socket (validator-py README, "Transports"): the same
 * messages as gRPC without grpcio's thread hand-offs, for a validator on this machine. A small
 * pool of kept-alive connections, one call in flight on each.
 */
export class XsdValidatorSocketClient implements XsdValidator {
  readonly transport = 'socket';
  private readonly path: string;
  private readonly timeoutMs: number;
  private readonly maxConnections: number;
  private readonly method: MethodDefinition<{ xml: Buffer }, ValidateResponse>;
  private readonly idle: ValidatorSocketConnection[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly open = new Set<ValidatorSocketConnection>();
  private closed = false;

  constructor(options: XsdValidatorSocketOptions) {
    const { path, protoDir, timeoutMs = 5_000, maxConnections = 4 } = options;
    if (!path) throw new Error('XsdValidatorSocketClient: path is required');
    if (!(timeoutMs > 0)) throw new Error(`XsdValidatorSocketClient: timeoutMs must be positive, got ${timeoutMs}`);
    if (!Number.isInteger(maxConnections) || maxConnections < 1) {
      throw new Error(`XsdValidatorSocketClient: maxConnections must be a positive integer, got ${maxConnections}`);
    }
    this.path = path;
    this.timeoutMs = timeoutMs;
    this.maxConnections = maxConnections;
    const service = loadValidationProto(protoDir)[VALIDATOR_SERVICE] as ServiceDefinition;
    this.method = service['Validate'] as MethodDefinition<{ xml: Buffer }, ValidateResponse>;
  }

  async validate(xml: string, ids?: CallIds): Promise<XsdVerdict> {
    const frame = encodeRequest(callHeaders(ids), this.method.requestSerialize({ xml: Buffer.from(xml, 'utf8') }));
    const deadline = Date.now() + this.timeoutMs;
    try {
      return await this.exchange(frame, deadline);
    } catch (error) {
      // Validation has no side effect: a request the validator never read (it closed the kept-alive
      // connection first, e.g. a restart) goes once more, on a fresh connection.
      if (error instanceof XsdValidatorError && error.neverDelivered) return this.exchange(frame, deadline);
      throw error;
    }
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new XsdValidatorError('UNAVAILABLE', `validator socket ${this.path}: client closed`));
    }
    for (const connection of [...this.open]) connection.close();
  }

  private async exchange(frame: Buffer, deadline: number): Promise<XsdVerdict> {
    const connection = await this.acquire(deadline);
    try {
      const response = await connection.send(frame, Math.max(1, deadline - Date.now()));
      return toVerdict(this.method.responseDeserialize(response.payload));
    } finally {
      this.release(connection);
    }
  }

  private acquire(deadline: number): Promise<ValidatorSocketConnection> {
    if (this.closed) {
      return Promise.reject(new XsdValidatorError('UNAVAILABLE', `validator socket ${this.path}: client closed`));
    }
    const ready = this.idle.pop() ?? (this.open.size < this.maxConnections ? this.connect() : undefined);
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          const busy = `all ${this.maxConnections} connections busy`;
          reject(
            new XsdValidatorError(
              'DEADLINE_EXCEEDED',
              `validator socket ${this.path}: ${busy} for ${this.timeoutMs} ms`,
            ),
          );
        }, deadline - Date.now()),
      };
      this.waiting.push(waiter);
    });
  }

  private release(connection: ValidatorSocketConnection): void {
    if (connection.alive && !this.closed) this.idle.push(connection);
    this.serveWaiters();
  }

  private connect(): ValidatorSocketConnection {
    const connection = new ValidatorSocketConnection(this.path, (ended) => {
      this.open.delete(ended);
      const index = this.idle.indexOf(ended);
      if (index >= 0) this.idle.splice(index, 1);
      this.serveWaiters();
    });
    this.open.add(connection);
    return connection;
  }

  /** Hands free or new connections to waiting calls, oldest first. */
  private serveWaiters(): void {
    while (this.waiting.length > 0 && !this.closed) {
      const connection = this.idle.pop() ?? (this.open.size < this.maxConnections ? this.connect() : undefined);
      if (!connection) return;
      const waiter = this.waiting.shift()!;
      clearTimeout(waiter.timer);
      waiter.resolve(connection);
    }
  }
}

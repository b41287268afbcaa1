import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { callMetadata, type CallIds } from '../call-ids.js';
import { violation, type Violation } from '../rejection.js';

export interface XsdVerdict {
  valid: boolean;
  violations: Violation[];
  durationMs: number;
}

interface ValidatorStub extends grpc.Client {
  Validate(
    request: { xml: Buffer },
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (
      error: grpc.ServiceError | null,
      response?: {
        valid: boolean;
        errors: Array<{ message: string; line: number; column: number; code: string }>;
        durationMs: number;
      },
    ) => void,
  ): grpc.ClientUnaryCall;
}

/** The XSD Validator (validator-py) over gRPC; one channel per process. */
export class XsdValidatorClient {
  private readonly stub: ValidatorStub;

  constructor(
    address: string,
    protoDir: string,
    private readonly timeoutMs = 5_000,
  ) {
    const definition = protoLoader.loadSync(join(protoDir, 'flowledger/validation/v1/validation.proto'), {
      includeDirs: [protoDir],
      keepCase: false,
      longs: Number,
      enums: String,
      defaults: true,
    });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      flowledger: { validation: { v1: Record<string, new (a: string, c: grpc.ChannelCredentials) => ValidatorStub> } };
    };
    const Stub = Object.values(loaded.flowledger.validation.v1).find((v) => typeof v === 'function')!;
    this.stub = new Stub(address, grpc.credentials.createInsecure());
  }

  /** `ids` go along as metadata, so the validator's log lines name the proposal. */
  validate(xml: string, ids?: CallIds): Promise<XsdVerdict> {
    return new Promise((resolve, reject) => {
      this.stub.Validate(
        { xml: Buffer.from(xml, 'utf8') },
        callMetadata(ids),
        { deadline: new Date(Date.now() + this.timeoutMs) },
        (error, response) => {
          if (error || !response) return reject(error ?? new Error('validator: empty response'));
          resolve({
            valid: response.valid,
            durationMs: response.durationMs,
            violations: response.errors.map((e) =>
              violation({ rule: `xsd:${e.code}`, message: e.message, line: e.line, column: e.column }),
            ),
          });
        },
      );
    });
  }

  close(): void {
    this.stub.close();
  }
}

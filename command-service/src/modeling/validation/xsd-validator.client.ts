import * as grpc from '@grpc/grpc-js';
import { callMetadata, type CallIds } from '../call-ids.js';
import {
  loadValidationProto,
  toVerdict,
  type ValidateResponse,
  type XsdValidator,
  type XsdVerdict,
} from './xsd-validator.js';

export type { XsdVerdict } from './xsd-validator.js';

interface ValidatorStub extends grpc.Client {
  Validate(
    request: { xml: Buffer },
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: ValidateResponse) => void,
  ): grpc.ClientUnaryCall;
}

/** The XSD Validator (validator-py) over gRPC; one channel per process. */
export class XsdValidatorClient implements XsdValidator {
  readonly transport = 'grpc';
  private readonly stub: ValidatorStub;

  constructor(
    address: string,
    protoDir: string,
    private readonly timeoutMs = 5_000,
  ) {
    const loaded = grpc.loadPackageDefinition(loadValidationProto(protoDir)) as unknown as {
      flowledger: { validation: { v1: Record<string, new (a: string, c: grpc.ChannelCredentials) => ValidatorStub> } };
    };
    const Stub = Object.values(loaded.flowledger.validation.v1).find((v) => typeof v === 'function')!;
    this.stub = new Stub(address, grpc.credentials.createInsecure());
  }

  validate(xml: string, ids?: CallIds): Promise<XsdVerdict> {
    return new Promise((resolve, reject) => {
      this.stub.Validate(
        { xml: Buffer.from(xml, 'utf8') },
        callMetadata(ids),
        { deadline: new Date(Date.now() + this.timeoutMs) },
        (error, response) => {
          if (error || !response) return reject(error ?? new Error('validator: empty response'));
          resolve(toVerdict(response));
        },
      );
    });
  }

  close(): void {
    this.stub.close();
  }
}

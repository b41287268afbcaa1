import * as grpc from '@grpc/grpc-js';
import { loadStackConfig } from '@flowledger/config';
import { loadProtoPackages } from '@flowledger/protos';

const XsdValidatorService = loadProtoPackages<{
  flowledger: { validation: { v1: { XsdValidatorService: grpc.ServiceClientConstructor } } };
}>(['flowledger/validation/v1/validation.proto']).flowledger.validation.v1.XsdValidatorService;

export interface XsdVerdict {
  valid: boolean;
  errors: { message: string; line: number; code: string }[];
}

/** validator-py of the running stack (lxml against the OMG BPMN 2.0 XSDs), called over its own gRPC API. */
export class XsdValidator {
  private readonly stub = new XsdValidatorService(
    loadStackConfig().validator.address,
    grpc.credentials.createInsecure(),
  ) as grpc.Client & Record<string, (...args: unknown[]) => unknown>;

  validate(xml: string): Promise<XsdVerdict> {
    return new Promise((resolve, reject) => {
      this.stub.Validate!(
        { xml: Buffer.from(xml, 'utf8') },
        { deadline: Date.now() + 30_000 },
        (error: grpc.ServiceError | null, r: XsdVerdict) => (error ? reject(error) : resolve(r)),
      );
    });
  }

  close(): void {
    this.stub.close();
  }
}

import type { PackageDefinition } from '@grpc/proto-loader';
import { loadProtoDefinition } from '@flowledger/protos';
import type { CallIds } from '../call-ids.js';
import { violation, type Violation } from '../rejection.js';

export interface XsdVerdict {
  valid: boolean;
  violations: Violation[];
  durationMs: number;
}

/**
 * The XSD Validator (validator-py), whichever way it is reached: gRPC (`xsd-validator.client.ts`)
 * or its local socket (`xsd-validator.socket-client.ts`). A failed call rejects; a document with
 * errors is a verdict, not a failure.
 */
export interface XsdValidator {
  readonly transport: 'grpc' | 'socket';
  /** `ids` go along as metadata, so the validator's log lines name the proposal. */
  validate(xml: string, ids?: CallIds): Promise<XsdVerdict>;
  close(): void;
}

/** `ValidateResponse` as @grpc/proto-loader decodes it with the options below. */
export interface ValidateResponse {
  valid: boolean;
  errors: Array<{ message: string; line: number; column: number; code: string }>;
  durationMs: number;
}

export const VALIDATOR_SERVICE = 'flowledger.validation.v1.XsdValidatorService';

/** validation.proto, loaded the same way for both transports, so both decode alike. */
export function loadValidationProto(protoDir: string): PackageDefinition {
  return loadProtoDefinition(['flowledger/validation/v1/validation.proto'], protoDir);
}

export function toVerdict(response: ValidateResponse): XsdVerdict {
  return {
    valid: response.valid,
    durationMs: response.durationMs,
    violations: response.errors.map((e) =>
      violation({ rule: `xsd:${e.code}`, message: e.message, line: e.line, column: e.column }),
    ),
  };
}

export type XsdValidatorErrorCode =
  'UNAVAILABLE' | 'DEADLINE_EXCEEDED' | 'INVALID_ARGUMENT' | 'RESOURCE_EXHAUSTED' | 'INTERNAL';

/**
 * A call that got no verdict, named like the gRPC status it stands for. The write path treats it
 * as it treats a gRPC error of the validator: the proposal is answered UNAVAILABLE and may be retried.
 */
export class XsdValidatorError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly code: XsdValidatorErrorCode,
    message: string,
    cause?: NodeJS.ErrnoException,
  ) {
    super(message, { cause });
    this.name = 'XsdValidatorError';
    this.retriable = code === 'UNAVAILABLE' || code === 'DEADLINE_EXCEEDED';
  }

  /** The request never reached the validator: it had closed the connection before we wrote (EPIPE). */
  get neverDelivered(): boolean {
    return (this.cause as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
  }
}

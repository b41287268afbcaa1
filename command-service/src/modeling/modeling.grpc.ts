/** Wire shapes of `flowledger.modeling.v1` as @grpc/proto-loader decodes them (camelCase, oneofs, longs as numbers). */
export const MODELING_GRPC = { package: 'flowledger.modeling.v1', protoFile: 'flowledger/modeling/v1/modeling.proto' };

export const MODELING_DEPENDENCIES = Symbol('MODELING_DEPENDENCIES');

export interface TimestampWire {
  seconds: number;
  nanos: number;
}

export interface ViolationWire {
  elementId: string;
  rule: string;
  message: string;
  line: number;
  column: number;
}

export type ProposeResponseWire =
  | {
      applied: { version: number; idMap: Record<string, string>; lintWarnings: ViolationWire[]; snapshotGzip: Buffer };
    }
  | { rejected: { code: string; message: string; violations: ViolationWire[]; currentVersion: number } };

export function timestamp(date: Date): TimestampWire {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

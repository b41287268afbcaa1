import type { Timestamp } from '../gen/google/protobuf/Timestamp.js';

/** Where `flowledger.modeling.v1` is defined; its TypeScript types are generated into src/gen (scripts/generate-grpc-types.mjs). */
export const MODELING_GRPC = { package: 'flowledger.modeling.v1', protoFile: 'flowledger/modeling/v1/modeling.proto' };

export const MODELING_DEPENDENCIES = Symbol('MODELING_DEPENDENCIES');

/** A google.protobuf.Timestamp as the loader takes it (longs as numbers). */
export function timestamp(date: Date): Timestamp {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

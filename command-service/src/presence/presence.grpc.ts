/** `flowledger.modeling.v1.PresenceService` (schemas/proto/.../presence.proto) as this service loads it. */
export const PRESENCE_GRPC = { package: 'flowledger.modeling.v1', protoFile: 'flowledger/modeling/v1/presence.proto' };

export const PRESENCE_DEPENDENCIES = Symbol('PRESENCE_DEPENDENCIES');

import { createClient, type Client, type Interceptor, type Transport } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import { ModelingService } from '../gen/flowledger/modeling/v1/modeling_pb.js';
import { PresenceService } from '../gen/flowledger/modeling/v1/presence_pb.js';

export type ModelingApi = Client<typeof ModelingService>;
export type PresenceApi = Client<typeof PresenceService>;

/** The modeling API over gRPC-Web, same origin (Envoy), with the user's bearer token on every call. */
export function modelingApi(token: () => string): ModelingApi {
  return createClient(ModelingService, edgeTransport(token));
}

/** Presence (who is in the diagram, what they selected), same origin and token. */
export function presenceApi(token: () => string): PresenceApi {
  return createClient(PresenceService, edgeTransport(token));
}

function edgeTransport(token: () => string): Transport {
  const authorize: Interceptor = (next) => (request) => {
    request.header.set('authorization', `Bearer ${token()}`);
    request.header.set('x-request-id', crypto.randomUUID());
    return next(request);
  };
  return createGrpcWebTransport({ baseUrl: location.origin, interceptors: [authorize] });
}

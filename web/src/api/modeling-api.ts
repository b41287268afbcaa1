import { createClient, type Client, type Interceptor } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import { ModelingService } from '../gen/flowledger/modeling/v1/modeling_pb.js';

export type ModelingApi = Client<typeof ModelingService>;

/** The modeling API over gRPC-Web, same origin (Envoy), with the user's bearer token on every call. */
export function modelingApi(token: () => string): ModelingApi {
  const authorize: Interceptor = (next) => (request) => {
    request.header.set('authorization', `Bearer ${token()}`);
    request.header.set('x-request-id', crypto.randomUUID());
    return next(request);
  };
  const transport = createGrpcWebTransport({ baseUrl: location.origin, interceptors: [authorize] });
  return createClient(ModelingService, transport);
}

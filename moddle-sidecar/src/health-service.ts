import * as grpc from '@grpc/grpc-js';

type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/**
 * `grpc.health.v1.Health` for a process whose services are up as soon as it listens: '' (the
 * server) and each name in `services` answer SERVING; other names are NOT_FOUND (Check) or
 * SERVICE_UNKNOWN (Watch), as the protocol specifies.
 */
export function healthImplementation(services: string[]): grpc.UntypedServiceImplementation {
  const known = new Set(['', ...services]);
  return {
    Check(
      call: grpc.ServerUnaryCall<{ service: string }, { status: ServingStatus }>,
      callback: grpc.sendUnaryData<{ status: ServingStatus }>,
    ) {
      const service = call.request.service ?? '';
      if (!known.has(service)) callback({ code: grpc.status.NOT_FOUND, details: `unknown service "${service}"` });
      else callback(null, { status: 'SERVING' });
    },
    // Statuses never change at run time: send the current one and keep the stream open until the client cancels.
    Watch(call: grpc.ServerWritableStream<{ service: string }, { status: ServingStatus }>) {
      call.write({ status: known.has(call.request.service ?? '') ? 'SERVING' : 'SERVICE_UNKNOWN' });
    },
  };
}

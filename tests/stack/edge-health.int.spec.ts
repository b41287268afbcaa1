import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';

// Against the running stack: a browser's view of the edge, so gRPC-Web framed by hand with fetch.
const edge = loadStackConfig().edge.url;
const devOrigin = 'http://localhost:5173';
const SERVING = 1;

describe('Envoy edge: gRPC-Web health', () => {
  it('answers Health/Check with SERVING and grpc-status 0', async () => {
    const reply = await grpcWebCall('/grpc.health.v1.Health/Check', encodeHealthCheckRequest(''));

    expect(reply.httpStatus).toBe(200);
    expect(reply.contentType).toMatch(/^application\/grpc-web/);
    expect(reply.grpcStatus).toBe('0');
    expect(reply.messages).toHaveLength(1);
    expect(decodeHealthCheckResponse(reply.messages[0]!)).toBe(SERVING);
  });

  it('carries a gRPC error status back for a service the server does not know', async () => {
    const reply = await grpcWebCall('/grpc.health.v1.Health/Check', encodeHealthCheckRequest('no.such.Service'));

    expect(reply.grpcStatus).toBe('5'); // NOT_FOUND
    expect(reply.grpcMessage).toContain('no.such.Service');
    expect(reply.messages).toHaveLength(0);
  });

  it('passes a call carrying all the request-metadata headers and returns the caller x-request-id', async () => {
    const requestId = `edge-test-${Date.now()}`;
    const reply = await grpcWebCall('/grpc.health.v1.Health/Check', encodeHealthCheckRequest(''), {
      authorization: 'Bearer not-checked-yet',
      'x-tenant-id': 'tenant-a',
      'x-actor-id': 'actor-1',
      'x-request-id': requestId,
      'x-run-id': 'run-7',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });

    expect(reply.grpcStatus).toBe('0');
    expect(decodeHealthCheckResponse(reply.messages[0]!)).toBe(SERVING);
    expect(reply.requestId).toBe(requestId);
  });

  it('makes up an x-request-id when the caller sends none', async () => {
    const reply = await grpcWebCall('/grpc.health.v1.Health/Check', encodeHealthCheckRequest(''));

    expect(reply.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe('Envoy edge: CORS', () => {
  it('allows a preflight from a localhost dev origin, with the metadata headers', async () => {
    const response = await fetch(`${edge}/grpc.health.v1.Health/Check`, {
      method: 'OPTIONS',
      headers: {
        origin: devOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers':
          'content-type,x-grpc-web,x-tenant-id,x-actor-id,x-request-id,x-run-id,traceparent,authorization',
      },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(devOrigin);
    const allowed = response.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['x-tenant-id', 'x-actor-id', 'x-request-id', 'x-run-id', 'traceparent', 'authorization']) {
      expect(allowed).toContain(header);
    }
  });

  it('exposes grpc-status and grpc-message to the browser on the actual call', async () => {
    const response = await fetch(`${edge}/grpc.health.v1.Health/Check`, {
      method: 'POST',
      headers: { origin: devOrigin, ...grpcWebHeaders },
      body: frame(0x00, encodeHealthCheckRequest('')),
    });
    await response.arrayBuffer();

    expect(response.headers.get('access-control-allow-origin')).toBe(devOrigin);
    expect(response.headers.get('access-control-expose-headers')).toMatch(/grpc-status.*grpc-message/);
  });

  it('gives an origin outside localhost no CORS grant', async () => {
    const response = await fetch(`${edge}/grpc.health.v1.Health/Check`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    await response.arrayBuffer();

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

const grpcWebHeaders = {
  'content-type': 'application/grpc-web+proto',
  'x-grpc-web': '1',
  'x-user-agent': 'flowledger-tests',
};

interface GrpcWebReply {
  httpStatus: number;
  contentType: string | null;
  requestId: string | null;
  messages: Uint8Array[];
  grpcStatus: string | undefined;
  grpcMessage: string | undefined;
}

async function grpcWebCall(
  path: string,
  message: Uint8Array,
  headers: Record<string, string> = {},
): Promise<GrpcWebReply> {
  const response = await fetch(`${edge}${path}`, {
    method: 'POST',
    headers: { ...grpcWebHeaders, ...headers },
    body: frame(0x00, message),
  });
  const { messages, trailers } = parseFrames(new Uint8Array(await response.arrayBuffer()));
  // A call that fails before any message is "trailers-only": the status then rides in the headers.
  return {
    httpStatus: response.status,
    contentType: response.headers.get('content-type'),
    requestId: response.headers.get('x-request-id'),
    messages,
    grpcStatus: trailers['grpc-status'] ?? response.headers.get('grpc-status') ?? undefined,
    grpcMessage: decodeURIComponent(trailers['grpc-message'] ?? response.headers.get('grpc-message') ?? ''),
  };
}

/** gRPC-Web frame: 1 flag byte (0x00 data, 0x80 trailers), 4-byte big-endian length, payload. */
function frame(flag: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(5 + payload.length);
  out[0] = flag;
  new DataView(out.buffer).setUint32(1, payload.length);
  out.set(payload, 5);
  return out;
}

function parseFrames(body: Uint8Array): { messages: Uint8Array[]; trailers: Record<string, string> } {
  const messages: Uint8Array[] = [];
  const trailers: Record<string, string> = {};
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  for (let at = 0; at < body.length;) {
    const flag = body[at]!;
    const length = view.getUint32(at + 1);
    const payload = body.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    if ((flag & 0x80) === 0) {
      messages.push(payload);
      continue;
    }
    for (const line of new TextDecoder().decode(payload).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return { messages, trailers };
}

/** HealthCheckRequest { string service = 1; } — proto3 leaves the empty string out. */
function encodeHealthCheckRequest(service: string): Uint8Array {
  const bytes = new TextEncoder().encode(service);
  if (bytes.length === 0) return new Uint8Array();
  if (bytes.length > 127) throw new Error('service names over 127 bytes need a multi-byte length');
  return new Uint8Array([0x0a, bytes.length, ...bytes]);
}

/** HealthCheckResponse { ServingStatus status = 1; } — absent means 0 (UNKNOWN). */
function decodeHealthCheckResponse(message: Uint8Array): number {
  if (message.length === 0) return 0;
  if (message[0] !== 0x08) throw new Error(`unexpected field tag ${message[0]}`);
  return message[1]!;
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { classifyRegistryError } from './avro-codec.js';
import { createRegistryClient } from './registry-client.js';

const schema = JSON.stringify({ type: 'record', name: 'Probe', fields: [{ name: 'n', type: 'int' }] });
const servers: ReturnType<typeof createServer>[] = [];

/** A registry that answers the subject's rule, and its registrations as `answer` says (undefined: never). */
async function registry(answer: (attempt: number) => object | undefined) {
  const registrations: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const reply = (body: object) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && req.url === '/config/probe') return reply({ compatibilityLevel: 'BACKWARD' });
    if (req.method === 'POST' && req.url === '/subjects/probe/versions') {
      registrations.push(Date.now());
      const body = answer(registrations.length);
      if (body) reply(body);
      return; // left unanswered: the client's timeout must end it
    }
    res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, registrations };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('createRegistryClient', () => {
  it('gives up a registration the registry never answers and registers again', async () => {
    const { url, registrations } = await registry((attempt) => (attempt === 1 ? undefined : { id: 42 }));
    const client = createRegistryClient(url, 300);
    const started = Date.now();
    const { id } = await client.register({ type: SchemaType.AVRO, schema }, { subject: 'probe' });
    expect(id).toBe(42);
    expect(registrations).toHaveLength(2);
    expect(registrations[1]! - started).toBeGreaterThanOrEqual(300);
  });

  it('after the last retry, fails as REGISTRY_UNAVAILABLE (retriable), naming the timeout', async () => {
    const { url, registrations } = await registry(() => undefined);
    const client = createRegistryClient(url, 100);
    const error = await client.register({ type: SchemaType.AVRO, schema }, { subject: 'probe' }).then(
      () => undefined,
      (err: unknown) => classifyRegistryError(err, 'probe'),
    );
    expect(registrations).toHaveLength(3); // the first try and two retries
    expect(error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retriable: true });
    expect(error?.message).toMatch(/Timeout \(100ms\)/);
  });
});

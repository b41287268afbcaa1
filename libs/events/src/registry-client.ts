import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { avroTypeOptions } from './diagram-event-schema.js';

type ClientArgs = ConstructorParameters<typeof SchemaRegistry>[0];
type Middleware = NonNullable<ClientArgs['middlewares']>[number];

/**
 * How long one registry request may go unanswered before it is given up and retried. The client
 * has no timeout of its own: on a loaded CI host the registry once never answered a schema's
 * registration, and the CreateDiagram waiting on it hit its 30 s deadline. Registering the same
 * schema or setting a subject's rule again is idempotent; the other requests are reads. Three
 * tries of 8 s fit in a 30 s CreateDiagram deadline; a registry merely slow under load answers
 * well within 8 s.
 */
export const REGISTRY_REQUEST_TIMEOUT_MS = 8_000;

/**
 * The Confluent-compatible registry client, each request bounded in time and retried (twice,
 * backing off) on a 5xx or a timeout. The client merges these retry settings into its
 * module-wide defaults, so a client made elsewhere in the same process (the schema contract
 * tests' plain one) retries the same way: harmless, as every request may be repeated.
 */
export function createRegistryClient(host: string, requestTimeoutMs = REGISTRY_REQUEST_TIMEOUT_MS): SchemaRegistry {
  const timeout: Middleware = () => ({
    prepareRequest: (next) => next().then((request) => request.enhance({ timeout: requestTimeoutMs })),
  });
  return new SchemaRegistry(
    {
      host,
      middlewares: [timeout],
      retry: {
        retries: 2,
        // The client retries only GETs by default; its POSTs and PUT (register, compatibility
        // check, subject rule) are idempotent too.
        enableRetry: () => true,
        validateRetry: (response) => response.status() >= 500 || response.errors.some(isTimeout),
      },
    },
    { [SchemaType.AVRO]: avroTypeOptions() },
  );
}

/** mappersmith's timeout: a client error (status 400) carrying an error named TimeoutError. */
function isTimeout(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'TimeoutError';
}

import { COMPATIBILITY, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { Type } from 'avsc';
import { EventError } from './event-error.js';
import { createRegistryClient } from './registry-client.js';

/** One record kind's Avro form: its schema, the registered subject, and the mapping to the domain form. */
export interface AvroRecordKind<T, A> {
  /** Named in errors, e.g. "diagram event". */
  name: string;
  schema: object;
  type: Type;
  subjectOf(value: T): string;
  toAvro(value: T): A;
  fromAvro(record: A): T;
}

/** The Confluent wire format of one record kind through the registry. */
export interface AvroCodec<T> {
  /** Registers the current schema under `subject` with BACKWARD compatibility; returns its id. */
  register(subject: string): Promise<number>;
  /** Magic byte 0, the 4-byte schema id, the Avro body. */
  encode(value: T): Promise<Buffer>;
  /** Decodes with the writer's schema (any registered version) into the domain form. */
  decode(record: Buffer): Promise<T>;
  /**
   * `decode` for many records: each schema id is looked up once (awaited), then every record is
   * decoded in one synchronous pass — a rebuild decodes tens of thousands, and a promise per
   * record was a fifth of the decoding.
   */
  decodeAll(records: Buffer[]): Promise<T[]>;
}

export function createAvroCodec<T, A>(registryUrl: string, kind: AvroRecordKind<T, A>): AvroCodec<T> {
  if (!registryUrl) throw new Error('events: registryUrl is required');
  const registry = createRegistryClient(registryUrl);
  const schema = JSON.stringify(kind.schema);
  // One registration per subject and process; a failed one is forgotten so the next call retries.
  const ids = new Map<string, Promise<number>>();

  const register = (subject: string): Promise<number> => {
    let id = ids.get(subject);
    if (!id) {
      id = registerRacing(() =>
        registry.register({ type: SchemaType.AVRO, schema }, { subject, compatibility: COMPATIBILITY.BACKWARD }),
      )
        .then((r) => r.id)
        .catch((err: unknown) => {
          ids.delete(subject);
          throw classifyRegistryError(err, subject);
        });
      ids.set(subject, id);
    }
    return id;
  };

  // The writer's schema of each id seen, as an avsc type (the registry client caches the lookups too).
  const writers = new Map<number, Type>();
  const lookUpWriter = async (id: number): Promise<Type> => {
    let schema: unknown;
    try {
      schema = await registry.getSchema(id);
    } catch (err) {
      throw classifyRegistryError(err, `schema id ${id}`);
    }
    if (typeof (schema as Partial<Type>).fromBuffer !== 'function') {
      throw new EventError('UNDECODABLE_RECORD', `schema id ${id} is not an Avro schema`, false);
    }
    return schema as Type;
  };

  const decodeAll = async (records: Buffer[]): Promise<T[]> => {
    for (const bytes of records) {
      if (bytes.length < 5 || bytes[0] !== 0) {
        throw new EventError('UNDECODABLE_RECORD', 'not a Confluent wire-format record (magic byte 0)', false);
      }
      const id = bytes.readInt32BE(1);
      if (!writers.has(id)) writers.set(id, await lookUpWriter(id));
    }
    return records.map((bytes) => {
      const id = bytes.readInt32BE(1);
      let record: A;
      try {
        record = writers.get(id)!.fromBuffer(bytes.subarray(5)) as A;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new EventError('UNDECODABLE_RECORD', `${kind.name} with schema id ${id}: ${message}`, false, {
          cause: err,
        });
      }
      return kind.fromAvro(record);
    });
  };

  return {
    register,
    async encode(value) {
      const record = kind.toAvro(value);
      const problems: string[] = [];
      if (!kind.type.isValid(record, { errorHook: (path) => problems.push(path.join('.')) })) {
        throw new EventError('INVALID_EVENT', `${kind.name} does not fit the schema at: ${problems.join(', ')}`, false);
      }
      const id = await register(kind.subjectOf(value));
      try {
        return await registry.encode(id, record);
      } catch (err) {
        throw classifyRegistryError(err, `schema id ${id}`);
      }
    },
    async decode(bytes) {
      return (await decodeAll([bytes]))[0]!;
    },
    decodeAll,
  };
}

/**
 * Two processes registering a new subject at once race in two ways: both try to create its
 * compatibility rule (the registry refuses the second, 409 "already exists"), or one finds the
 * subject already created by the other but its BACKWARD rule not set yet (the client reports
 * "Compatibility does not match the configuration"). Trying again shortly after finds the rule
 * set and the schema registered, which is what both wanted.
 */
export async function registerRacing<T>(register: () => Promise<T>, attempts = 5, delayMs = 200): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await register();
    } catch (err) {
      const message = String((err as Error).message);
      const lostRace =
        ((err as { status?: number }).status === 409 && /already exists/i.test(message)) ||
        (err as Error).name === 'ConfluentSchemaRegistryCompatibilityError';
      if (!lostRace || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
    }
  }
}

export function classifyRegistryError(err: unknown, what: string): EventError {
  const message = err instanceof Error ? err.message : String(err);
  const status = (err as { status?: number }).status;
  if (status === 409 || /incompatible/i.test(message)) {
    return new EventError('SCHEMA_INCOMPATIBLE', `registry refused ${what}: ${message}`, false, { cause: err });
  }
  const timedOut = /Timeout \(\d+ms\)/.test(message); // the client reports it as a 400
  if (!timedOut && status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new EventError('UNDECODABLE_RECORD', `registry: ${what}: ${message}`, false, { cause: err });
  }
  return new EventError('REGISTRY_UNAVAILABLE', `registry unavailable for ${what}: ${message}`, true, { cause: err });
}

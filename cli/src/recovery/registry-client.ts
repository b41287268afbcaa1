/**
 * The few calls of the Confluent schema-registry API that backup and restore need, over plain
 * HTTP (the registry is Apicurio's Confluent-compatible API; any Confluent-compatible one works).
 */
export interface RegisteredSchema {
  subject: string;
  version: number;
  id: number;
  schemaType: string;
  schema: string;
}

export interface RegistryClient {
  versions(subject: string): Promise<number[]>;
  version(subject: string, version: number): Promise<RegisteredSchema>;
  byId(id: number): Promise<{ schema: string; schemaType: string }>;
  compatibility(subject: string): Promise<string | null>;
  register(subject: string, schema: string, schemaType: string): Promise<number>;
  setCompatibility(subject: string, level: string): Promise<void>;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export function createRegistryClient(baseUrl: string): RegistryClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: { accept: CONTENT_TYPE, ...(body ? { 'content-type': CONTENT_TYPE } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const json = (text ? JSON.parse(text) : undefined) as T;
    return { status: res.status, json };
  };
  const must = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const { status, json } = await call<T>(method, path, body);
    if (status >= 300) throw new Error(`schema registry ${method} ${path}: HTTP ${status} ${JSON.stringify(json)}`);
    return json;
  };
  const subjectPath = (s: string) => `/subjects/${encodeURIComponent(s)}`;
  return {
    async versions(subject) {
      const { status, json } = await call<number[]>('GET', `${subjectPath(subject)}/versions`);
      if (status === 404) return [];
      if (status >= 300) throw new Error(`schema registry: versions of ${subject}: HTTP ${status}`);
      return json;
    },
    async version(subject, version) {
      const r = await must<{ subject: string; version: number; id: number; schema: string; schemaType?: string }>(
        'GET',
        `${subjectPath(subject)}/versions/${version}`,
      );
      return { subject: r.subject, version: r.version, id: r.id, schema: r.schema, schemaType: r.schemaType ?? 'AVRO' };
    },
    async byId(id) {
      const r = await must<{ schema: string; schemaType?: string }>('GET', `/schemas/ids/${id}`);
      return { schema: r.schema, schemaType: r.schemaType ?? 'AVRO' };
    },
    async compatibility(subject) {
      const { status, json } = await call<{ compatibilityLevel?: string }>(
        'GET',
        `/config/${encodeURIComponent(subject)}`,
      );
      return status < 300 ? (json?.compatibilityLevel ?? null) : null;
    },
    async register(subject, schema, schemaType) {
      const body = schemaType === 'AVRO' ? { schema } : { schema, schemaType };
      return (await must<{ id: number }>('POST', `${subjectPath(subject)}/versions`, body)).id;
    },
    async setCompatibility(subject, level) {
      await must('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level });
    },
  };
}

import type { Role } from '@flowledger/oidc';

/** Who is calling, as established from the verified token (never from headers alone). */
export interface Caller {
  tenantId: string;
  actorId: string;
  roles: Role[];
  /** An agent acts through the API with its own identity and an `x-run-id`. */
  kind: 'user' | 'agent';
  runId: string | undefined;
  requestId: string | undefined;
  traceparent: string | undefined;
}

/** The request metadata the service reads, whatever the transport's own metadata type is. */
export type MetadataReader = (key: string) => string | undefined;

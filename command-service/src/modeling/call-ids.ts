import { Metadata } from '@grpc/grpc-js';

/** What identifies a proposal in the other services' logs (the moddle sidecar, validator-py). */
export interface CallIds {
  tenantId: string;
  diagramId: string;
  transactionId: string;
  requestId?: string | undefined;
  traceparent?: string | undefined;
}

/** The ids under the header names Envoy propagates (x-*, traceparent); absent ones left out. */
export function callHeaders(ids: CallIds | undefined): Record<string, string> {
  if (!ids) return {};
  const headers: Record<string, string> = {
    'x-tenant-id': ids.tenantId,
    'x-diagram-id': ids.diagramId,
    'x-transaction-id': ids.transactionId,
  };
  if (ids.requestId) headers['x-request-id'] = ids.requestId;
  if (ids.traceparent) headers['traceparent'] = ids.traceparent;
  return headers;
}

/** The ids as gRPC metadata. */
export function callMetadata(ids: CallIds | undefined): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(callHeaders(ids))) metadata.set(key, value);
  return metadata;
}

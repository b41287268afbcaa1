import { Metadata } from '@grpc/grpc-js';

/** What identifies a proposal in the other services' logs (the moddle sidecar, validator-py). */
export interface CallIds {
  tenantId: string;
  diagramId: string;
  transactionId: string;
  requestId?: string | undefined;
  traceparent?: string | undefined;
}

/** The ids as gRPC metadata, under the header names Envoy propagates (x-*, traceparent). */
export function callMetadata(ids: CallIds | undefined): Metadata {
  const metadata = new Metadata();
  if (!ids) return metadata;
  metadata.set('x-tenant-id', ids.tenantId);
  metadata.set('x-diagram-id', ids.diagramId);
  metadata.set('x-transaction-id', ids.transactionId);
  if (ids.requestId) metadata.set('x-request-id', ids.requestId);
  if (ids.traceparent) metadata.set('traceparent', ids.traceparent);
  return metadata;
}

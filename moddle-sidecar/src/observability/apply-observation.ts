import type { Metadata } from '@grpc/grpc-js';
import type { ApplyResponse } from '../apply-handler.js';

/**
 * The ids a caller may attach to an Apply as gRPC metadata. The request itself carries only the
 * version; these let one grep follow an edit from the command service into the sidecar.
 */
export interface CallIds {
  tenant_id?: string;
  diagram_id?: string;
  transaction_id?: string;
  request_id?: string;
  traceparent?: string;
}

/** `applied`, the reject code (as the command service labels it), or `INTERNAL` for a bug. */
export type ApplyOutcome = 'applied' | 'INVALID_OPERATION' | 'LIMIT_EXCEEDED' | 'INTERNAL';

/** What one Apply did, handed to the observer (log line and metrics). */
export interface ApplyObservation {
  ids: CallIds;
  version: number;
  operations: number;
  xmlBytes: number;
  outcome: ApplyOutcome;
  durationSeconds: number;
  /** The rejection's message, or the error of an INTERNAL outcome. */
  reason?: string;
  error?: unknown;
}

export type ApplyObserver = (observation: ApplyObservation) => void;

const METADATA_KEYS: [keyof CallIds, string][] = [
  ['tenant_id', 'x-tenant-id'],
  ['diagram_id', 'x-diagram-id'],
  ['transaction_id', 'x-transaction-id'],
  ['request_id', 'x-request-id'],
  ['traceparent', 'traceparent'],
];

// Metadata is caller-controlled: a cap keeps one odd call from writing a huge log line.
const MAX_ID_LENGTH = 256;

/** The ids present in `metadata`; absent or empty keys are left out. */
export function callIdsOf(metadata: Metadata | undefined): CallIds {
  const ids: CallIds = {};
  for (const [field, key] of METADATA_KEYS) {
    const value = metadata?.get(key)[0];
    if (typeof value === 'string' && value !== '') ids[field] = value.slice(0, MAX_ID_LENGTH);
  }
  return ids;
}

export function outcomeOf(response: ApplyResponse): ApplyOutcome {
  return 'applied' in response ? 'applied' : (response.rejected.code.replace(/^REJECT_CODE_/, '') as ApplyOutcome);
}

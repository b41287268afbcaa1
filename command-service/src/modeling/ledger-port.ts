import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { DiagramEvent } from '@flowledger/events';
import type { Violation } from './rejection.js';

/** An event as the ledger keeps it: the event plus what the command path needs to answer again. */
export interface LedgerEntry {
  event: DiagramEvent;
  lintWarnings: Violation[];
  /** The request's W3C trace context, carried into the event's Kafka headers. */
  traceparent?: string | null;
}

export interface DiagramListing {
  diagramId: string;
  name: string;
  version: number;
  updatedAt: Date;
}

export interface VersionListing {
  version: number;
  transactionId: string;
  actorId: string;
  occurredAt: Date;
}

/**
 * What the command path needs from the ledger (libs/ledger), so the pipeline is written and
 * tested against this shape and the Postgres adapter stays thin.
 */
export interface LedgerPort {
  /** Appends an event with the diagram XML it produced; throws LedgerConflict on a race or a repeated transaction. */
  append(entry: LedgerEntry, resultXml: string): Promise<void>;
  /**
   * The proposal's append: commits the event (as `append`) and puts it on the topic before
   * resolving — durable in both. `onCommitted` runs between the two (to time them apart).
   * `resultXmlGzip` is `compressResult` of the resulting XML, started by the caller as early as
   * it likes (a proposal starts it beside validation).
   */
  appendAndPublish(entry: LedgerEntry, resultXmlGzip: Promise<Buffer>, onCommitted?: () => void): Promise<void>;
  findByTransaction(tenantId: string, transactionId: string): Promise<LedgerEntry | undefined>;
  currentVersion(tenantId: string, diagramId: string): Promise<number | undefined>;
  /** The XML at `version` (0 = latest) and which version that is. */
  diagramXml(
    tenantId: string,
    diagramId: string,
    version: number,
  ): Promise<{ xml: string; version: number } | undefined>;
  /** Events after `afterVersion`, in version order. */
  eventsAfter(tenantId: string, diagramId: string, afterVersion: number): Promise<DiagramEvent[]>;
  listDiagrams(tenantId: string): Promise<DiagramListing[]>;
  listVersions(tenantId: string, diagramId: string): Promise<VersionListing[]>;
  /** Publishes the diagram's committed events to Kafka in version order; resolves when they are acknowledged. */
  publish(tenantId: string, diagramId: string): Promise<void>;
}

/** The ledger refused an append: someone else got the version first, or this transaction already happened. */
export class LedgerConflict extends Error {
  readonly retriable = false;
  constructor(
    readonly kind: 'VERSION_MISMATCH' | 'DUPLICATE_TRANSACTION',
    readonly currentVersion: number,
    readonly existing?: LedgerEntry,
  ) {
    super(kind === 'VERSION_MISMATCH' ? `version ${currentVersion} is current` : 'transaction already applied');
    this.name = 'LedgerConflict';
  }
}

const gzipAsync = promisify(gzip);

/**
 * The XML as the ledger stores it (gzip), on libuv's thread pool: ~2.5 ms at 100 KB that the
 * event loop spends on other work. A proposal starts it beside the XSD call and lint, so the
 * append does not wait for it; a rejected proposal's is dropped.
 */
export function compressResult(xml: string): Promise<Buffer> {
  const compressed = gzipAsync(xml);
  compressed.catch(() => undefined); // awaited by the append, if there is one
  return compressed;
}

import { isAllowed, type Caller } from '@flowledger/auth';
import type { DiagramEvent } from '@flowledger/events';
import type { DiagramListing, LedgerPort, VersionListing } from '../ledger-port.js';
import { RequestError } from '../../grpc-edge/request-error.js';
import type { ChangeFeed } from './change-feed.js';

/**
 * The read side of ModelingService. Every read is scoped to the caller's tenant, so another
 * tenant's diagram is indistinguishable from one that does not exist (NOT_FOUND).
 */
export class DiagramQueries {
  constructor(
    private readonly ledger: LedgerPort,
    private readonly feed: ChangeFeed,
    private readonly pollMs = 1_000,
  ) {}

  async getDiagram(caller: Caller, diagramId: string, version: number): Promise<{ xml: string; version: number }> {
    authorizeRead(caller);
    if (version < 0)
      throw new RequestError('INVALID_ARGUMENT', `version must be 0 (latest) or positive, got ${version}`);
    const found = await this.ledger.diagramXml(caller.tenantId, diagramId, version);
    if (!found) {
      throw new RequestError(
        'NOT_FOUND',
        version === 0 ? `diagram ${diagramId} not found` : `diagram ${diagramId} has no version ${version}`,
      );
    }
    return found;
  }

  async listDiagrams(caller: Caller): Promise<DiagramListing[]> {
    authorizeRead(caller);
    return this.ledger.listDiagrams(caller.tenantId);
  }

  async listVersions(caller: Caller, diagramId: string): Promise<VersionListing[]> {
    authorizeRead(caller);
    const versions = await this.ledger.listVersions(caller.tenantId, diagramId);
    if (versions.length === 0) throw new RequestError('NOT_FOUND', `diagram ${diagramId} not found`);
    return versions;
  }

  /** Every change after `fromVersion`, then each new one as it is applied, until `signal` aborts. */
  async *subscribe(
    caller: Caller,
    diagramId: string,
    fromVersion: number,
    signal: AbortSignal,
  ): AsyncGenerator<DiagramEvent> {
    authorizeRead(caller);
    if ((await this.ledger.currentVersion(caller.tenantId, diagramId)) === undefined) {
      throw new RequestError('NOT_FOUND', `diagram ${diagramId} not found`);
    }
    let last = Math.max(0, fromVersion);
    while (!signal.aborted) {
      const wake = this.feed.next(caller.tenantId, diagramId, this.pollMs, signal);
      for (const event of await this.ledger.eventsAfter(caller.tenantId, diagramId, last)) {
        if (signal.aborted) return;
        yield event;
        last = event.version;
      }
      await wake;
    }
  }
}

function authorizeRead(caller: Caller): void {
  if (!isAllowed(caller, 'read'))
    throw new RequestError('PERMISSION_DENIED', `role(s) ${caller.roles.join(', ')} may not read diagrams`);
}

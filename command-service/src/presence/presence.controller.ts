import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { isAllowed, type Caller, type TokenVerifier } from '@flowledger/auth';
import { authenticatedCall } from '../grpc-edge/authenticated-call.js';
import type { UpdatePresenceRequest__Output } from '../gen/flowledger/modeling/v1/UpdatePresenceRequest.js';
import type { UpdatePresenceResponse } from '../gen/flowledger/modeling/v1/UpdatePresenceResponse.js';
import type { WatchPresenceRequest__Output } from '../gen/flowledger/modeling/v1/WatchPresenceRequest.js';
import type { WatchPresenceResponse } from '../gen/flowledger/modeling/v1/WatchPresenceResponse.js';
import { timestamp } from '../modeling/modeling.grpc.js';
import { RequestError } from '../grpc-edge/request-error.js';
import type { PresenceHub } from './presence-hub.js';
import { PRESENCE_DEPENDENCIES } from './presence.grpc.js';

export interface PresenceDependencies {
  hub: PresenceHub;
  verifyToken: TokenVerifier;
  /** Whether the tenant has this diagram (presence is only for diagrams that exist). */
  diagramExists(tenantId: string, diagramId: string): Promise<boolean>;
}

const MAX_ID_LENGTH = 200;

/**
 * `flowledger.modeling.v1.PresenceService`. The caller comes from the verified token, like
 * ModelingService; anyone who may read the diagram (viewer and up) may be present in it.
 * Closing one's WatchPresence stream counts as leaving.
 */
@Controller()
export class PresenceController {
  private readonly known = new Set<string>();

  constructor(@Inject(PRESENCE_DEPENDENCIES) private readonly deps: PresenceDependencies) {}

  @GrpcMethod('PresenceService', 'UpdatePresence')
  async updatePresence(request: UpdatePresenceRequest__Output, metadata: Metadata): Promise<UpdatePresenceResponse> {
    return this.call(metadata, async (caller) => {
      await this.authorize(caller, request.diagramId);
      const selected = request.selectedElementIds ?? [];
      if (selected.some((id) => id.length > MAX_ID_LENGTH)) {
        throw new RequestError('INVALID_ARGUMENT', `selected element ids are at most ${MAX_ID_LENGTH} characters`);
      }
      await this.deps.hub.receive({
        tenantId: caller.tenantId,
        diagramId: request.diagramId,
        actorId: caller.actorId,
        selectedElementIds: selected,
        leaving: request.leaving === true,
      });
      const { heartbeatIntervalMs, expiresAfterMs } = this.deps.hub.settings;
      return { heartbeatIntervalMs, expiresAfterMs };
    });
  }

  @GrpcMethod('PresenceService', 'WatchPresence')
  watchPresence(request: WatchPresenceRequest__Output, metadata: Metadata): Observable<WatchPresenceResponse> {
    return new Observable((subscriber) => {
      const abort = new AbortController();
      let watcher: Caller | undefined;
      void this.call(metadata, async (caller) => {
        await this.authorize(caller, request.diagramId);
        watcher = caller;
        for await (const participants of this.deps.hub.watch(caller.tenantId, request.diagramId, abort.signal)) {
          subscriber.next({
            participants: participants.map((p) => ({
              actorId: p.actorId,
              selectedElementIds: p.selectedElementIds,
              lastSeen: timestamp(new Date(p.lastSeen)),
            })),
          });
        }
      }).then(
        () => subscriber.complete(),
        (error: unknown) => subscriber.error(error),
      );
      return () => {
        abort.abort();
        if (!watcher) return;
        // The editor closed (its stream went away): the others see the watcher leave at once.
        const { tenantId, actorId } = watcher;
        void this.deps.hub
          .receive({ tenantId, diagramId: request.diagramId, actorId, selectedElementIds: [], leaving: true })
          .catch(() => undefined);
      };
    });
  }

  private async authorize(caller: Caller, diagramId: string): Promise<void> {
    if (!isAllowed(caller, 'read')) {
      throw new RequestError('PERMISSION_DENIED', `role(s) ${caller.roles.join(', ')} may not read diagrams`);
    }
    if (!diagramId) throw new RequestError('INVALID_ARGUMENT', 'diagram_id is required');
    const key = `${caller.tenantId}/${diagramId}`;
    if (this.known.has(key)) return;
    if (!(await this.deps.diagramExists(caller.tenantId, diagramId))) {
      throw new RequestError('NOT_FOUND', `diagram ${diagramId} not found`);
    }
    this.known.add(key); // diagrams are never deleted: once seen, always there
  }

  private call<T>(metadata: Metadata, handler: (caller: Caller) => Promise<T>): Promise<T> {
    return authenticatedCall(metadata, this.deps.verifyToken, handler, {
      service: 'presence',
      unavailable: () => 'presence temporarily unavailable',
    });
  }
}

import type pg from 'pg';
import { listenToChannel, notifyChannel } from '@flowledger/ledger';
import { logger, warnCannotListen } from '../observability/logger.js';
import type { PresenceUpdate } from './presence-board.js';
import { PresenceHub, type PresenceSettings } from './presence-hub.js';

const CHANNEL = 'flowledger_presence';

/**
 * The process's presence hub, connected to every other command-service process through
 * Postgres: each heartbeat received here is NOTIFYed, and each one NOTIFYed anywhere is applied
 * here. A lost notification heals with the next heartbeat.
 */
export function startPresence(options: {
  pool: pg.Pool;
  databaseUrl: string;
  settings: PresenceSettings;
  now: () => number;
}): { hub: PresenceHub; stop(): Promise<void> } {
  const hub = new PresenceHub(options.settings, options.now, (update) =>
    notifyChannel(options.pool, CHANNEL, JSON.stringify(update)).catch((error: unknown) =>
      logger.warn({ err: error, diagram_id: update.diagramId }, 'presence not forwarded to other processes'),
    ),
  );
  const listener = listenToChannel(options.databaseUrl, CHANNEL, {
    onPayload: (payload) => {
      const update = parseUpdate(payload);
      if (update) hub.accept(update);
      else logger.warn({ payload: payload.slice(0, 200) }, 'ignored a malformed presence notification');
    },
    onError: warnCannotListen,
  });
  hub.start();
  return {
    hub,
    async stop() {
      hub.stop();
      await listener.stop();
    },
  };
}

function parseUpdate(payload: string): PresenceUpdate | undefined {
  try {
    const u = JSON.parse(payload) as Partial<PresenceUpdate>;
    const strings = [u.tenantId, u.diagramId, u.actorId];
    if (!strings.every((s) => typeof s === 'string' && s.length > 0)) return undefined;
    if (!Array.isArray(u.selectedElementIds) || !u.selectedElementIds.every((id) => typeof id === 'string')) {
      return undefined;
    }
    if (typeof u.leaving !== 'boolean' || typeof u.at !== 'number') return undefined;
    return u as PresenceUpdate;
  } catch {
    return undefined;
  }
}

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { loadStackConfig } from '@flowledger/config';
import { devToken } from '../../../tests/support/modeling-client.js';
import { clientFor, uniqueTenant } from '../../../tests/support/test-tenant.js';
import { startCommandService, type CommandServiceProcess } from '../../../tests/support/command-service-process.js';

interface ParticipantWire {
  actorId: string;
  selectedElementIds: string[];
  lastSeen: { seconds: number };
}
type Snapshot = { participants: ParticipantWire[] };

const protoDir = join(import.meta.dirname, '..', '..', '..', 'schemas', 'proto');
const PresenceService = (
  grpc.loadPackageDefinition(
    protoLoader.loadSync(join(protoDir, 'flowledger/modeling/v1/presence.proto'), {
      includeDirs: [protoDir],
      keepCase: false,
      longs: Number,
      defaults: true,
    }),
  ) as unknown as { flowledger: { modeling: { v1: { PresenceService: grpc.ServiceClientConstructor } } } }
).flowledger.modeling.v1.PresenceService;

/** A PresenceService client for one user, through Envoy unless `address` names a process. */
function presenceOf(token: string, address?: string, headers: Record<string, string> = {}) {
  const config = loadStackConfig();
  const stub = new PresenceService(
    address ?? `${config.host}:${config.edge.port}`,
    grpc.credentials.createInsecure(),
  ) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const metadata = () => {
    const m = new grpc.Metadata();
    m.set('authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(headers)) m.set(k, v);
    return m;
  };
  return {
    update(diagramId: string, selectedElementIds: string[] = [], leaving = false) {
      return new Promise<{ heartbeatIntervalMs: number; expiresAfterMs: number }>((resolve, reject) =>
        stub.updatePresence!({ diagramId, selectedElementIds, leaving }, metadata(), (e: Error | null, r: never) =>
          e ? reject(e) : resolve(r),
        ),
      );
    },
    /** Every snapshot the stream sends, as it arrives. */
    watch(diagramId: string) {
      const seen: Snapshot[] = [];
      const call = stub.watchPresence!({ diagramId }, metadata()) as grpc.ClientReadableStream<Snapshot>;
      let failure: grpc.ServiceError | undefined;
      call.on('data', (s: Snapshot) => seen.push(s));
      call.on('error', (e: grpc.ServiceError) => (failure = e));
      const actors = () => (seen.at(-1)?.participants ?? []).map((p) => p.actorId);
      return { seen, actors, failure: () => failure, cancel: () => call.cancel() };
    },
    close: () => (stub as unknown as grpc.Client).close(),
  };
}

describe('PresenceService', () => {
  const tenant = uniqueTenant('presence');
  let diagramId: string;
  let second: CommandServiceProcess | undefined;

  beforeAll(async () => {
    ({ diagramId } = await clientFor(tenant, 'setup', ['editor']).createDiagram('Presence'));
  });
  afterAll(async () => {
    await second?.stop();
  });

  it('a viewer sees an editor join with a selection, change it, and leave', async () => {
    const ann = presenceOf(devToken(tenant, 'ann', ['editor']));
    const vera = presenceOf(devToken(tenant, 'vera', ['viewer']));
    const watch = vera.watch(diagramId);
    await expect.poll(() => watch.seen.length).toBeGreaterThan(0);

    const answer = await ann.update(diagramId, ['Task_1']);
    expect(answer).toEqual({ heartbeatIntervalMs: 2_000, expiresAfterMs: 6_500 });
    await expect
      .poll(() => watch.seen.at(-1)?.participants.map((p) => [p.actorId, p.selectedElementIds]))
      .toEqual([['ann', ['Task_1']]]);
    expect(watch.seen.at(-1)!.participants[0]!.lastSeen.seconds).toBeGreaterThan(Date.now() / 1000 - 10);

    await ann.update(diagramId, ['Task_1', 'Flow_2']);
    await expect.poll(() => watch.seen.at(-1)?.participants[0]?.selectedElementIds).toEqual(['Flow_2', 'Task_1']);

    await ann.update(diagramId, [], true);
    await expect.poll(() => watch.actors()).toEqual([]);
    watch.cancel();
    ann.close();
    vera.close();
  });

  it('closing one’s own watch stream is leaving', async () => {
    const ann = presenceOf(devToken(tenant, 'ann', ['editor']));
    const ben = presenceOf(devToken(tenant, 'ben', ['editor']));
    const annWatch = ann.watch(diagramId);
    const benWatch = ben.watch(diagramId);
    await ann.update(diagramId);
    await ben.update(diagramId);
    await expect.poll(() => benWatch.actors()).toEqual(['ann', 'ben']);

    annWatch.cancel();

    await expect.poll(() => benWatch.actors(), { timeout: 3_000 }).toEqual(['ben']);
    benWatch.cancel();
    ann.close();
    ben.close();
  });

  it('reaches watchers on another command-service process, and expires after missed heartbeats', async () => {
    second = await startCommandService('presence-second');
    const ann = presenceOf(devToken(tenant, 'ann', ['editor']), second.address);
    const ben = presenceOf(devToken(tenant, 'ben', ['editor']));
    const watch = ben.watch(diagramId); // through Envoy: the stack's own process

    await ann.update(diagramId, ['StartEvent_1']);
    await expect
      .poll(() => watch.seen.at(-1)?.participants.map((p) => [p.actorId, p.selectedElementIds]))
      .toEqual([['ann', ['StartEvent_1']]]);
    const joinedAt = Date.now();

    // ann sends no more heartbeats: gone after expires_after_ms, not before
    await expect.poll(() => watch.actors(), { timeout: 12_000, interval: 100 }).toEqual([]);
    expect(Date.now() - joinedAt).toBeGreaterThan(5_000);
    watch.cancel();
    ann.close();
    ben.close();
  });

  it('refuses a caller without a token, a forged actor header, and another tenant’s diagram', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'OK',
        (e: grpc.ServiceError) => grpc.status[e.code],
      );
    const anonymous = presenceOf('not-a-jwt');
    const forged = presenceOf(devToken(tenant, 'ann', ['editor']), undefined, { 'x-actor-id': 'ben' });
    const stranger = presenceOf(devToken(uniqueTenant('presence-other'), 'eve', ['editor']));

    expect(await code(anonymous.update(diagramId))).toBe('UNAUTHENTICATED');
    expect(await code(forged.update(diagramId))).toBe('UNAUTHENTICATED');
    expect(await code(stranger.update(diagramId))).toBe('NOT_FOUND');
    const watch = stranger.watch(diagramId);
    await expect.poll(() => watch.failure()?.code).toBe(grpc.status.NOT_FOUND);
    for (const c of [anonymous, forged, stranger]) c.close();
  });
});

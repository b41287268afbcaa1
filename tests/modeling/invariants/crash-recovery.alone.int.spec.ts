import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import type { CrashPoint } from '@flowledger/crash-points';
import { devToken, grpc, ModelingClient, randomTx } from '../../support/modeling-client.js';
import { startCommandService, type CommandServiceProcess } from '../../support/command-service-process.js';
import { openTopicReader, range, type TopicReader } from './support/diagram-topic.js';
import { addTask, createDiagramWithRetry, proposeWithRetry, waitUntil } from './support/proposals.js';

// DESIGN.md §5 invariant 5 (crash half) through the real service: a command service killed -9
// between the ledger commit and the Kafka publish (or between Kafka's ack and the ledger's mark)
// loses nothing; recovery puts the event on the topic exactly once, in order.
const tenant = `t${randomUUID().slice(0, 8)}`;
const token = devToken(tenant, 'ada', ['editor']);
let viaEnvoy: ModelingClient;
let topic: TopicReader;
const started: CommandServiceProcess[] = [];

beforeAll(() => {
  viaEnvoy = new ModelingClient(token);
  topic = openTopicReader('invariants-crash');
});

afterAll(async () => {
  viaEnvoy?.close();
  await topic?.close();
  await Promise.all(started.map((p) => p.stop()));
});

describe.each<CrashPoint>(['ledger:after-commit', 'outbox:after-ack'])('kill -9 at %s', (crashAt) => {
  it(
    'after recovery: the version is in the ledger and once on the topic, in order; a retry gets it; the next one follows',
    { timeout: 180_000 },
    async () => {
      // given a diagram at version 2 (through the stack's command service)
      const { diagramId } = await createDiagramWithRetry(viaEnvoy, `crash at ${crashAt}`);
      const v2 = await proposeWithRetry(viaEnvoy, diagramId, 1, addTask(1));
      expect(v2.result).toBe('applied');
      const tx = randomTx();
      const operations = addTask(2, 'crash-task');

      // when a proposal reaches it: the call fails, because the process SIGKILLed itself mid-write
      const failure = await proposeToDoomedService(crashAt, diagramId, 2, operations, tx);
      expect(failure.code).toBe(grpc.status.UNAVAILABLE);

      // then the ledger has version 3 at once
      const { versions } = await viaEnvoy.listVersions(diagramId);
      expect(versions.map((v) => [v.version, v.transactionId])).toEqual([
        [1, versions[0]!.transactionId],
        [2, versions[1]!.transactionId],
        [3, tx],
      ]);

      // (killed after Kafka's ack, the record is on the topic already, only the ledger's mark is missing)
      if (crashAt === 'outbox:after-ack') expect(await topic.versionsOf(tenant, diagramId)).toEqual([1, 2, 3]);

      // and recovery (the stack's command service sweeps the outbox every second) puts it on the topic
      await waitUntil('version 3 is on the topic', async () => (await topic.versionsOf(tenant, diagramId)).length >= 3);
      expect(await topic.versionsOf(tenant, diagramId)).toEqual([1, 2, 3]);

      // when the client retries with the same transaction id, then it gets Applied with version 3, as if nothing happened
      const retry = await proposeWithRetry(viaEnvoy, diagramId, 2, operations, tx);
      expect(retry.result === 'applied' && retry.applied.version).toBe(3);
      const onTopic = (await topic.readAll(tenant)).filter((r) => r.event.diagramId === diagramId);
      if (retry.result === 'applied') expect(retry.applied.idMap).toEqual(onTopic[2]!.event.idMap);

      // and the next proposal continues at version 4
      const next = await proposeWithRetry(viaEnvoy, diagramId, 3, addTask(3));
      expect(next.result === 'applied' && next.applied.version).toBe(4);

      // and in the end ledger and topic agree: 1..4, each once, in order, with the same transactions
      const ledger = (await viaEnvoy.listVersions(diagramId)).versions;
      const records = (await topic.readAll(tenant)).filter((r) => r.event.diagramId === diagramId);
      expect(records.map((r) => r.event.version)).toEqual(range(1, 4));
      expect(records.map((r) => r.event.transactionId)).toEqual(ledger.map((v) => v.transactionId));
      expect(ledger.map((v) => v.version)).toEqual(range(1, 4));
    },
  );
});

describe('kill -9 after the commit, recovered by a freshly started command service', () => {
  it(
    'a retry against a freshly started process gets Applied; the topic holds the version once, in order',
    { timeout: 180_000 },
    async () => {
      // given a diagram whose version 2 was committed by a process that died before publishing
      const { diagramId } = await createDiagramWithRetry(viaEnvoy, 'recovered by restart');
      const tx = randomTx();
      await proposeToDoomedService('ledger:after-commit', diagramId, 1, addTask(1), tx);
      expect((await viaEnvoy.listVersions(diagramId)).versions).toHaveLength(2);

      // when a normal command service starts and the client retries against it (not through the stack's one)
      const restarted = await startCommandService('invariants-crash-restarted');
      started.push(restarted);
      const restartedClient = new ModelingClient(token, { address: restarted.address });
      try {
        const retry = await proposeWithRetry(restartedClient, diagramId, 1, addTask(1), tx);

        // then it answers Applied version 2, and the topic holds 1, 2 once each
        expect(retry.result === 'applied' && retry.applied.version).toBe(2);
        expect(await topic.versionsOf(tenant, diagramId)).toEqual([1, 2]);
        const next = await proposeWithRetry(restartedClient, diagramId, 2, addTask(2));
        expect(next.result === 'applied' && next.applied.version).toBe(3);
        expect(await topic.versionsOf(tenant, diagramId)).toEqual([1, 2, 3]);
      } finally {
        restartedClient.close();
      }
    },
  );
});

/**
 * Starts a command service that SIGKILLs itself at `crashAt` and sends it one proposal; resolves
 * with the call's error once the process is dead and the ledger has the proposal's version.
 * Its outbox relay sweeps every diagram at start: should it die on another test's backlog
 * (outbox:after-ack) before the proposal got in, a fresh one is tried (at most three).
 */
async function proposeToDoomedService(
  crashAt: CrashPoint,
  diagramId: string,
  baseVersion: number,
  operations: Operation[],
  tx: string,
): Promise<grpc.ServiceError> {
  for (let attempt = 1; ; attempt++) {
    const doomed = await startCommandService(`invariants-crash-${crashAt.replace(':', '-')}`, {
      FLOWLEDGER_CRASH_AT: crashAt,
    });
    started.push(doomed);
    const client = new ModelingClient(token, { address: doomed.address });
    const outcome = await client.propose(diagramId, baseVersion, operations, tx).then(
      (answer) => new Error(`the doomed service answered ${JSON.stringify(answer)}`),
      (error: grpc.ServiceError) => error,
    );
    client.close();
    if (!('code' in outcome)) throw outcome;
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const { versions } = await viaEnvoy.listVersions(diagramId);
    if (versions.some((v) => v.transactionId === tx)) return outcome as grpc.ServiceError;
    if (attempt === 3) throw new Error(`the proposal never reached the ledger: ${outcome.message}`);
  }
}

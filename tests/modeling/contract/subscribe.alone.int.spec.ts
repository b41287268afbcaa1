import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandService, type CommandServiceProcess } from '../../support/command-service-process.js';
import { randomTx, type DiagramChangeWire } from '../../support/modeling-client.js';
import { task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

const tenant = uniqueTenant('subscribe');
const alice = clientFor(tenant, 'alice', ['editor']);
const carol = clientFor(tenant, 'carol', ['editor']);
const viewer = clientFor(tenant, 'victor', ['viewer']);
afterAll(() => [alice, carol, viewer].forEach((c) => c.close()));

type Change = DiagramChangeWire & { receivedAt: number };

describe('Subscribe', () => {
  it('catches up from from_version, then delivers a change made by another client within a second', async () => {
    // Given a diagram at version 3
    const { diagramId } = await alice.createDiagram('Live');
    await alice.propose(diagramId, 1, [task('a', 100)]);
    await alice.propose(diagramId, 2, [task('b', 300)]);

    // When a viewer subscribes from version 1
    const changes: Change[] = [];
    const errors: Error[] = [];
    const cancel = viewer.subscribe(
      diagramId,
      1,
      (change) => void changes.push({ ...change, receivedAt: Date.now() }),
      (error) => errors.push(error),
    );
    try {
      // Then it first gets versions 2 and 3 (everything after from_version)
      await until(() => changes.length >= 2);
      expect(changes.map((c) => c.version)).toEqual([2, 3]);
      expect(changes[0]).toMatchObject({ actorId: 'alice', idMap: { a: 'Task_2_1' } });
      expect(changes[0]!.operations[0]).toMatchObject({ op: 'createShape' });

      // And when another client proposes, the change arrives live, within a second
      const transactionId = randomTx();
      const sentAt = Date.now();
      const response = await carol.propose(diagramId, 3, [task('c', 500)], transactionId);
      expect(response.result).toBe('applied');
      await until(() => changes.length >= 3, 1_000);
      expect(changes[2]).toMatchObject({ version: 4, transactionId, actorId: 'carol', idMap: { c: 'Task_4_1' } });
      expect(changes[2]!.receivedAt - sentAt).toBeLessThan(1_000);
      expect(errors).toEqual([]);
    } finally {
      cancel();
    }
  });
});

describe('Subscribe on another command-service process', () => {
  // Processes wake each other's subscribers through Postgres NOTIFY (command-service/src/fanout).
  // This one re-reads the ledger on its own only every minute: a change within a second came by NOTIFY.
  let other: CommandServiceProcess;
  beforeAll(async () => {
    other = await startCommandService('subscribe-across-processes', { FLOWLEDGER_SUBSCRIBE_POLL_MS: '60000' });
  }, 120_000);
  afterAll(() => other?.stop());

  it("delivers a change appended by the stack's process within a second", async () => {
    const { diagramId } = await alice.createDiagram('Across processes');
    const watcher = clientFor(tenant, 'walter', ['viewer'], other.address);
    const changes: Change[] = [];
    const cancel = watcher.subscribe(
      diagramId,
      1,
      (change) => void changes.push({ ...change, receivedAt: Date.now() }),
    );
    try {
      // Subscribed and caught up (nothing after version 1 yet); the change is made through Envoy, on the stack's process.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const sentAt = Date.now();
      const response = await alice.propose(diagramId, 1, [task('x', 100)]);
      expect(response.result).toBe('applied');
      await until(() => changes.length >= 1, 1_000);
      expect(changes.map((c) => c.version)).toEqual([2]);
      expect(changes[0]!.receivedAt - sentAt).toBeLessThan(1_000);
    } finally {
      cancel();
      watcher.close();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import {
  commit,
  newTenantId,
  openLedgerTestStack,
  range,
  readTopic,
  testEvent,
  versionsOnTopic,
  type LedgerTestStack,
} from '../test-support/ledger-test-stack.js';

const run = promisify(execFile);
const repoRoot = new URL('../../../../', import.meta.url).pathname;
const kafkaPidFile = `${repoRoot}var/run/kafka.pid`;
const [brokerHost, brokerPort] = loadStackConfig().kafka.brokers[0]!.split(':') as [string, string];

let stack: LedgerTestStack;
beforeAll(async () => {
  stack = await openLedgerTestStack('kafka-restart-test');
});
afterAll(async () => {
  // Whatever happened above, leave the broker running for the tests after this one.
  if (!(await brokerAccepts())) await run('npx', ['flowledger', 'stack', 'up'], { cwd: repoRoot, timeout: 180_000 });
  await stack.close();
});

describe('a Kafka restart while diagrams are being written', () => {
  it(
    'loses and reorders nothing: after recovery every version is on the topic once, in order',
    { timeout: 240_000 },
    async () => {
      // given three diagrams written continuously, each commit followed by a publish attempt, and the relay running
      const tenant = newTenantId();
      const diagrams = ['d-a', 'd-b', 'd-c'];
      const written = new Map(diagrams.map((d) => [d, 0]));
      let publishFailures = 0;
      let writing = true;
      const relay = stack.publisher.startRelay({ intervalMs: 250, minAgeMs: 0 });
      const writers = diagrams.map(async (d) => {
        while (writing) {
          const version = written.get(d)! + 1;
          await commit(stack.ledger, testEvent(tenant, d, version));
          written.set(d, version);
          await stack.publisher.publishPending(tenant, d).catch(() => publishFailures++);
          await new Promise((r) => setTimeout(r, 20));
        }
      });

      try {
        // when the broker stops mid-stream, writes go on, and the broker comes back
        await sleep(1500);
        await stopBroker();
        await sleep(2000);
        await run('npx', ['flowledger', 'stack', 'up'], { cwd: repoRoot, timeout: 180_000 });
        await sleep(1500);
      } finally {
        writing = false;
        await Promise.all(writers);
      }
      await waitFor(async () => {
        const { rows } = await stack.pool.query(
          'SELECT count(*)::int AS n FROM ledger_events WHERE tenant_id = $1 AND published_at IS NULL',
          [tenant],
        );
        return rows[0].n === 0;
      });
      await relay.stop();

      // then the outage was real, and each diagram's versions 1..N are on the topic exactly once, in order
      expect(publishFailures).toBeGreaterThan(0);
      const onTopic = await readTopic(stack, tenant);
      for (const d of diagrams) {
        expect(written.get(d)).toBeGreaterThan(3);
        expect(versionsOnTopic(onTopic, d)).toEqual(range(1, written.get(d)!));
      }
    },
  );
});

/** SIGTERM to the broker the stack runner started (its process group), then wait until it is gone. */
async function stopBroker() {
  const { pid } = JSON.parse(readFileSync(kafkaPidFile, 'utf8')) as { pid: number };
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    process.kill(pid, 'SIGTERM');
  }
  await waitFor(async () => !isAlive(pid) && !(await brokerAccepts()), 60_000);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function brokerAccepts(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: brokerHost, port: Number(brokerPort) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await sleep(200);
  }
}

import type { Operation } from '@flowledger/bpmn-operations';
import { grpc, randomTx, type ModelingClient, type ProposeResult } from '../../../support/modeling-client.js';

/** A valid one-operation proposal: a new task at a spot of its own (no overlap warnings pile up). */
export function addTask(n: number, tempId = `tmp-${n}`): Operation[] {
  return [
    {
      kind: 'createShape',
      id: tempId,
      type: 'bpmn:Task',
      parentId: '',
      bounds: { x: 100 + (n % 20) * 130, y: 100 + Math.floor(n / 20) * 110, width: 100, height: 80 },
      name: `Task ${n}`,
    },
  ];
}

/**
 * Proposes like a real client: a transport failure (UNAVAILABLE, a deadline) is retried with
 * the same transaction id until `deadlineMs`; a Rejected or Applied answer is final.
 */
export async function proposeWithRetry(
  client: ModelingClient,
  diagramId: string,
  baseVersion: number,
  operations: Operation[],
  transactionId = randomTx(),
  deadlineMs = 60_000,
): Promise<ProposeResult> {
  return retryingTransientFailures(() => client.propose(diagramId, baseVersion, operations, transactionId), deadlineMs);
}

/** CreateDiagram like a real client: one transaction id, retried on transport failures. */
export function createDiagramWithRetry(client: ModelingClient, name: string): Promise<{ diagramId: string }> {
  const transactionId = randomTx();
  return retryingTransientFailures(() => client.createDiagram(name, '', transactionId));
}

/**
 * Repeats an idempotent call while it fails with UNAVAILABLE or DEADLINE_EXCEEDED (a dependency
 * restarting — in these tests, possibly another test file's broker restart), until `deadlineMs`.
 */
export async function retryingTransientFailures<T>(call: () => Promise<T>, deadlineMs = 60_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const code = (error as grpc.ServiceError).code;
      const transient = code === grpc.status.UNAVAILABLE || code === grpc.status.DEADLINE_EXCEEDED;
      if (!transient || Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Polls `check` every 200 ms until it holds; fails after `timeoutMs` with `what`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

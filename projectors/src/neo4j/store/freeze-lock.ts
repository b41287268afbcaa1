import { randomUUID } from 'node:crypto';
import type { Driver, Record as Neo4jRecord, Transaction } from 'neo4j-driver';
import { ProjectionError } from '@flowledger/projection';

/** The metadata a waiting transaction carries, so that it can be found among the open ones. */
export function freezeMetadata(): Record<string, string> {
  return { flowledger: 'rebuild-freeze', freeze: randomUUID() };
}

/**
 * Runs `statement` (the version record's lock) in `tx` — a build's start or its freeze — waiting
 * at most `waitMs` for it. Neo4j waits for a lock without limit and logs nothing meanwhile, so a
 * transaction left open while holding it — a writer stuck mid-batch — would hold the rebuild
 * forever, silently. At the limit `tx` is terminated and the error names the
 * limit and the transactions it waited for.
 */
export async function lockWithin(
  driver: Driver,
  tx: Transaction,
  statement: { text: string; params: Record<string, unknown> },
  o: { waitMs: number; metadata: Record<string, string>; what: string },
): Promise<Neo4jRecord[]> {
  const locked = tx.run(statement.text, statement.params).then((r) => r.records);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), o.waitMs)));
  try {
    const outcome = await Promise.race([locked, late]);
    if (outcome !== 'late') return outcome;
  } finally {
    clearTimeout(timer);
  }
  const holders = await describeWait(driver, o.metadata).catch((e: Error) => `(could not list them: ${e.message})`);
  await locked.catch(() => undefined);
  throw new ProjectionError(
    'FREEZE_TIMEOUT',
    `neo4j: ${o.what} was not free within ${o.waitMs / 1000} s (the rebuild's freeze wait limit, FLOWLEDGER_REBUILD_FREEZE_WAIT_MS); ` +
      `waiting for: ${holders}`,
    true,
  );
}

/** Ends the waiting transaction (found by its metadata) and says which transactions held the lock (or every other one open). */
async function describeWait(driver: Driver, metadata: Record<string, string>): Promise<string> {
  const { records } = await driver.executeQuery(
    `SHOW TRANSACTIONS YIELD transactionId, status, metaData, clientAddress, elapsedTime, currentQuery
     RETURN transactionId, status, metaData, clientAddress, elapsedTime.seconds AS seconds, currentQuery`,
  );
  const rows = records.map((r) => ({
    id: r.get('transactionId') as string,
    status: String(r.get('status') ?? ''),
    metadata: (r.get('metaData') ?? {}) as Record<string, unknown>,
    client: r.get('clientAddress') as string,
    seconds: Number(r.get('seconds')),
    query: String(r.get('currentQuery') ?? '')
      .replace(/\s+/g, ' ')
      .slice(0, 120),
  }));
  const own = rows.find((r) => r.metadata.freeze === metadata.freeze);
  if (own) await driver.executeQuery(`TERMINATE TRANSACTIONS $id`, { id: own.id });
  const blockers = own?.status.match(/Blocked by: \[(.*)\]/)?.[1]?.split(/,\s*/) ?? [];
  const shown = blockers.length > 0 ? rows.filter((r) => blockers.includes(r.id)) : rows.filter((r) => r !== own);
  if (shown.length === 0) return 'no other transaction is open';
  return shown
    .map((r) => `${r.id} from ${r.client}, open ${r.seconds} s, ${r.status}${r.query ? `, running "${r.query}"` : ''}`)
    .join('; ');
}

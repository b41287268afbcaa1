import { randomUUID } from 'node:crypto';
import type { Driver, Record as Neo4jRecord, Session, Transaction } from 'neo4j-driver';
import { freezeTimeout } from '@flowledger/projection';

/**
 * Begins a transaction in `session` and runs `statement` (the version record's lock) in it — for a
 * build's start or its freeze — waiting at most `waitMs` for the lock. Neo4j waits for a lock
 * without limit and logs nothing meanwhile, so a transaction left open while holding it (a writer
 * stuck mid-batch) would hold the rebuild forever, silently. At the limit the transaction, found
 * among the open ones by its metadata, is terminated and the error names the limit and the
 * transactions it waited for.
 */
export async function beginLocked(
  driver: Driver,
  session: Session,
  statement: { text: string; params: Record<string, unknown> },
  o: { waitMs: number; what: string },
): Promise<{ tx: Transaction; records: Neo4jRecord[] }> {
  const metadata = { flowledger: 'rebuild-freeze', freeze: randomUUID() };
  const tx = session.beginTransaction({ metadata });
  const locked = tx.run(statement.text, statement.params).then((r) => r.records);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), o.waitMs)));
  try {
    const outcome = await Promise.race([locked, late]);
    if (outcome !== 'late') return { tx, records: outcome };
  } finally {
    clearTimeout(timer);
  }
  const holders = await describeWait(driver, metadata.freeze).catch(
    (e: Error) => `(could not list them: ${e.message})`,
  );
  await locked.catch(() => undefined);
  throw freezeTimeout(`neo4j: ${o.what}`, o.waitMs, `waiting for: ${holders}`);
}

/** Ends the waiting transaction (`freeze` in its metadata) and says which transactions held the lock (or every other one open). */
async function describeWait(driver: Driver, freeze: string): Promise<string> {
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
  const own = rows.find((r) => r.metadata.freeze === freeze);
  if (own) await driver.executeQuery(`TERMINATE TRANSACTIONS $id`, { id: own.id });
  const blockers = own?.status.match(/Blocked by: \[(.*)\]/)?.[1]?.split(/,\s*/) ?? [];
  const shown = blockers.length > 0 ? rows.filter((r) => blockers.includes(r.id)) : rows.filter((r) => r !== own);
  if (shown.length === 0) return 'no other transaction is open';
  return shown
    .map((r) => `${r.id} from ${r.client}, open ${r.seconds} s, ${r.status}${r.query ? `, running "${r.query}"` : ''}`)
    .join('; ');
}

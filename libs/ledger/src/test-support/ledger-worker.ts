/**
 * A separate Node process for the ledger's multi-process and crash tests. Prints one JSON line
 * per result on stdout.
 *   race <tenant> <diagram> <baseVersion> <count> <startAtEpochMs>
 *     `count` concurrent appends of version baseVersion+1, distinct transaction ids, all fired at startAt.
 *   commit-and-publish <tenant> <diagram> <version>
 *     commits the version then publishes the diagram's pending events; FLOWLEDGER_CRASH_AT makes it die on the way.
 *   append-and-publish <tenant> <diagram> <version>
 *     the command path's appendAndPublish of that version; FLOWLEDGER_CRASH_AT makes it die on the way.
 *   write-versions <tenant> <diagram> <count>
 *     `count` times: appendAndPublish the diagram's next version, retrying after a VERSION_MISMATCH.
 */
import { LedgerError } from '../ledger-error.js';
import { commit, openLedgerTestStack, testEvent, versionXml } from './ledger-test-stack.js';

const [mode, tenantId, diagramId, n, count, startAt] = process.argv.slice(2);
const stack = await openLedgerTestStack('ledger-worker', 12);
try {
  if (mode === 'race') {
    const version = Number(n) + 1;
    await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
    await Promise.all(
      Array.from({ length: Number(count) }, async (_, i) => {
        const event = testEvent(tenantId!, diagramId!, version, { transactionId: `tx-${process.pid}-${i}` });
        try {
          await commit(stack.ledger, event);
          console.log(JSON.stringify({ ok: true, transactionId: event.transactionId }));
        } catch (err) {
          const e = err as LedgerError;
          console.log(
            JSON.stringify({ ok: false, code: e.code, currentVersion: e.currentVersion, message: e.message }),
          );
        }
      }),
    );
  } else if (mode === 'commit-and-publish') {
    const event = testEvent(tenantId!, diagramId!, Number(n));
    await commit(stack.ledger, event);
    await stack.publisher.publishPending(tenantId!, diagramId!);
    console.log(JSON.stringify({ ok: true, version: event.version }));
  } else if (mode === 'append-and-publish') {
    const event = testEvent(tenantId!, diagramId!, Number(n));
    const position = await stack.publisher.appendAndPublish(event, versionXml(diagramId!, event.version).gzip);
    console.log(JSON.stringify({ ok: true, version: event.version, offset: String(position.offset) }));
  } else if (mode === 'write-versions') {
    for (let written = 0; written < Number(n);) {
      const current = (await stack.ledger.currentVersion(tenantId!, diagramId!)) ?? 0;
      const event = testEvent(tenantId!, diagramId!, current + 1, { transactionId: `tx-${process.pid}-${written}` });
      try {
        await stack.publisher.appendAndPublish(event, versionXml(diagramId!, event.version).gzip);
        written++;
        console.log(JSON.stringify({ ok: true, version: event.version }));
      } catch (err) {
        if ((err as LedgerError).code !== 'VERSION_MISMATCH') throw err;
      }
    }
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} finally {
  await stack.close();
}

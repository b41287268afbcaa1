import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagramEvent } from '@flowledger/events';
import type { ProjectedChange } from '@flowledger/projection';
import { versionDdl } from '../../../projectors/src/postgres/read-model-ddl.js';
import {
  moveStagedHistory,
  joinStagedHistory,
  replaceWithRebuiltHistory,
  STAGED_HISTORY,
  stagedHistoryDdl,
  stageHistory,
} from '../../../projectors/src/postgres/staged-history.js';
import { adminPool } from './read-model-support.js';

// A rebuild's version rows go to Postgres by COPY (text format) into a staging table, then move
// into the version table with their lint counts from the ledger. Here against a scratch schema
// with a ledger-shaped table of its own: text that COPY would misread unescaped comes back as it
// was sent, nulls stay null, and the activity counts what moved.
const pool = adminPool();
const schema = `staged_history_${process.pid}_${Date.now()}`;

const event = (version: number, fields: Partial<DiagramEvent> = {}): DiagramEvent =>
  ({
    eventSchemaVersion: 1,
    eventType: 'CHANGES_APPLIED',
    tenantId: 'acme',
    diagramId: 'd1',
    diagramName: null,
    version,
    baseVersion: version - 1,
    transactionId: `tx-${version}`,
    actorId: 'alice',
    actorKind: 'USER',
    runId: null,
    requestId: null,
    occurredAt: new Date(Date.UTC(2026, 11, 1, 10, version)),
    operations: [],
    idMap: {},
    resultHash: `h${version}`,
    ...fields,
  }) as DiagramEvent;

const changes = (events: DiagramEvent[]) => events.map((e) => ({ event: e }) as unknown as ProjectedChange);

beforeAll(async () => {
  await pool.query(versionDdl(schema));
  await pool.query(stagedHistoryDdl(schema, true));
  await pool.query(
    `CREATE TABLE ${schema}.ledger (tenant_id text, diagram_id text, version bigint, lint_warning_count integer,
       PRIMARY KEY (tenant_id, diagram_id, version))`,
  );
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

describe('staged history', () => {
  it('brings every field back as it was sent, with lint counts from the ledger and the activity counted', async () => {
    const events = [
      event(1, { eventType: 'DIAGRAM_CREATED', operations: [{ kind: 'importXml', xml: '<x/>' }] as never }),
      event(2, { actorId: 'tab\there', runId: 'run\\1 with\nnewline\r\nand \\N' }),
      event(3, { actorId: 'ÿ€😀 \\N', actorKind: 'AGENT', transactionId: '\\' }),
      event(4, { actorId: 'tab\there', occurredAt: new Date(Date.UTC(2026, 11, 2, 23, 59, 59, 999)) }),
    ];
    await pool.query(`INSERT INTO ${schema}.ledger VALUES ('acme', 'd1', 2, 3), ('acme', 'd1', 4, 1)`);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await stageHistory(client, schema, changes(events.slice(0, 2)));
      await stageHistory(client, schema, changes(events.slice(2)));
      await stageHistory(client, schema, []);
      await moveStagedHistory(client, schema, schema, `${schema}.ledger`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }

    const { rows } = await pool.query(
      `SELECT tenant_id, diagram_id, version::int, event_type, transaction_id, actor_id, actor_kind, run_id,
              occurred_at, operation_count, result_hash, lint_warning_count
       FROM ${schema}.versions ORDER BY version`,
    );
    expect(rows).toEqual(
      events.map((e) => ({
        tenant_id: e.tenantId,
        diagram_id: e.diagramId,
        version: e.version,
        event_type: e.eventType,
        transaction_id: e.transactionId,
        actor_id: e.actorId,
        actor_kind: e.actorKind,
        run_id: e.runId,
        occurred_at: e.occurredAt,
        operation_count: e.operations.length,
        result_hash: e.resultHash,
        lint_warning_count: { 2: 3, 4: 1 }[e.version] ?? 0,
      })),
    );
    const activity = await pool.query(
      `SELECT actor_id, to_char(day, 'YYYY-MM-DD') AS day, edits FROM ${schema}.actor_activity`,
    );
    expect(new Set(activity.rows.map((r) => JSON.stringify(r)))).toEqual(
      new Set(
        [
          { actor_id: 'alice', day: '2026-12-01', edits: 1 },
          { actor_id: 'tab\there', day: '2026-12-01', edits: 1 },
          { actor_id: 'tab\there', day: '2026-12-02', edits: 1 },
          { actor_id: 'ÿ€😀 \\N', day: '2026-12-01', edits: 1 },
        ].map((r) => JSON.stringify(r)),
      ),
    );
    const staged = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.${STAGED_HISTORY}`);
    expect(staged.rows[0].n).toBe(0);
  });

  it('adds a later move to the activity already counted, and refuses a version that is there already', async () => {
    const client = await pool.connect();
    try {
      await stageHistory(client, schema, changes([event(5, { actorId: 'alice' })]));
      await moveStagedHistory(client, schema, schema, `${schema}.ledger`);
      const { rows } = await client.query(
        `SELECT edits FROM ${schema}.actor_activity WHERE actor_id = 'alice' AND day = '2026-12-01'`,
      );
      expect(rows[0].edits).toBe(2);

      await stageHistory(client, schema, changes([event(5, { actorId: 'mallory' })]));
      await expect(moveStagedHistory(client, schema, schema, `${schema}.ledger`)).rejects.toThrow(/duplicate key/);
    } finally {
      client.release();
    }
  });

  it("replaces a tenant's history with the staged one, writing only the rows that differ", async () => {
    const into = `${schema}_serving`;
    await pool.query(versionDdl(into));
    const client = await pool.connect();
    const rowsOf = async (tenant: string) =>
      (
        await client.query(
          `SELECT version::int, actor_id, run_id, lint_warning_count, xmin::text AS xmin FROM ${into}.versions
           WHERE tenant_id = $1 ORDER BY version`,
          [tenant],
        )
      ).rows;
    try {
      await client.query(`TRUNCATE ${schema}.${STAGED_HISTORY}`); // what the refused move above left
      const serving = [1, 2, 9].map((v) => event(v, { tenantId: 'beta', runId: v === 2 ? 'old' : null }));
      await stageHistory(client, schema, changes([...serving, event(1, { tenantId: 'gamma' })]));
      await moveStagedHistory(client, schema, into, `${schema}.ledger`);
      const before = { beta: await rowsOf('beta'), gamma: await rowsOf('gamma') };

      // Rebuilt: v1 as it serves, v2 without its run id, v3 missing from what serves, v9 gone.
      await stageHistory(client, schema, changes([1, 2, 3].map((v) => event(v, { tenantId: 'beta' }))));
      await joinStagedHistory(client, schema, `${schema}.ledger`);
      await client.query('BEGIN');
      await replaceWithRebuiltHistory(client, schema, into, ['beta']);
      await client.query('COMMIT');

      const after = await rowsOf('beta');
      expect(after.map(({ xmin: _, ...row }) => row)).toEqual(
        [1, 2, 3].map((version) => ({ version, actor_id: 'alice', run_id: null, lint_warning_count: 0 })),
      );
      expect(after[0]!.xmin).toBe(before.beta[0]!.xmin); // v1 was left alone
      expect(after[1]!.xmin).not.toBe(before.beta[1]!.xmin);
      expect(await rowsOf('gamma')).toEqual(before.gamma);
      const activity = await client.query(`SELECT tenant_id, edits FROM ${into}.actor_activity ORDER BY tenant_id`);
      expect(activity.rows).toEqual([
        { tenant_id: 'beta', edits: 3 },
        { tenant_id: 'gamma', edits: 1 },
      ]);
    } finally {
      client.release();
      await pool.query(`DROP SCHEMA IF EXISTS ${into} CASCADE`);
    }
  });
});

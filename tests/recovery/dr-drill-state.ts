import type pg from 'pg';
import { loadStackConfig } from '@flowledger/config';
import { auditTopic, diagramEventsTopic, snapshotsTopic } from '@flowledger/events';
import { createKafkaAdmin } from '@flowledger/kafka';
import { openReadModel, READ_MODELS } from '../../cli/src/recovery/read-models.js';

const config = loadStackConfig();

/** Every topic of a tenant that a backup holds. */
export const tenantTopics = (tenant: string) => [
  diagramEventsTopic(tenant),
  snapshotsTopic(tenant),
  auditTopic(tenant),
];

/** The tenant's review and audit rows exactly as Postgres has them (row_to_json: every column, seq included). */
export async function reviewRows(pool: pg.Pool, tenant: string): Promise<{ reviews: unknown[]; audit: unknown[] }> {
  const reviews = await pool.query<{ r: unknown }>(
    'SELECT row_to_json(t) AS r FROM proposal_reviews t WHERE tenant_id = $1 ORDER BY review_id',
    [tenant],
  );
  const audit = await pool.query<{ r: unknown }>(
    'SELECT row_to_json(t) AS r FROM audit_entries t WHERE tenant_id = $1 ORDER BY seq',
    [tenant],
  );
  return { reviews: reviews.rows.map((x) => x.r), audit: audit.rows.map((x) => x.r) };
}

/**
 * Destroys everything of the tenant that a backup holds: its topics (diagram events, snapshots,
 * audit), their registry subjects (soft, then permanent), its ledger, review and audit rows.
 * Read models and snapshots are left: a rebuild replaces them.
 */
export async function destroyTenant(pool: pg.Pool, tenant: string): Promise<void> {
  const admin = createKafkaAdmin({ brokers: config.kafka.brokers, clientId: `dr-drill-${process.pid}` });
  try {
    const names = tenantTopics(tenant);
    const existing = await admin.listTopics();
    await admin.deleteTopics(names.filter((n) => existing.includes(n)));
    for (let i = 0; ; i++) {
      const left = (await admin.listTopics()).filter((t) => names.includes(t));
      if (left.length === 0) break;
      if (i === 100) throw new Error(`topics of ${tenant} still listed after deletion: ${left.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.close();
  }
  for (const topic of tenantTopics(tenant)) {
    const subject = encodeURIComponent(`${topic}-value`);
    await fetch(`${config.schemaRegistry.url}/subjects/${subject}`, { method: 'DELETE' });
    await fetch(`${config.schemaRegistry.url}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
  }
  for (const table of ['audit_entries', 'proposal_reviews', 'ledger_events', 'diagrams']) {
    await pool.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenant]);
  }
}

/** Empties the tenant's read models (Postgres, Neo4j, snapshots), as the DR drill does, for a rebuild. */
export async function resetReadModels(pool: pg.Pool, tenant: string): Promise<void> {
  for (const name of READ_MODELS) {
    const model = await openReadModel(name, { config, pool, clientId: `dr-drill-${process.pid}` });
    try {
      await model.projection.sink.reset(tenant);
    } finally {
      await model.close();
    }
  }
}

import type pg from 'pg';
import { loadStackConfig } from '@flowledger/config';
import { diagramEventsTopic, snapshotsTopic } from '@flowledger/events';
import { createKafkaAdmin, createKafkaPartitionReader } from '@flowledger/kafka';

const config = loadStackConfig();

export interface RecordCopy {
  partition: number;
  offset: string;
  key: string;
  headers: Record<string, string>;
  schemaId: number;
  /** The value after the 5-byte Confluent header, hex. */
  body: string;
}

/** Every record of a topic, by partition then offset ([] when the topic does not exist). */
export async function topicRecords(topic: string): Promise<RecordCopy[]> {
  const connection = { brokers: config.kafka.brokers, clientId: `recovery-test-${process.pid}` };
  const admin = createKafkaAdmin(connection);
  const reader = createKafkaPartitionReader(connection);
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    const out: RecordCopy[] = [];
    const partitions = await reader.partitionCount(topic);
    for (let p = 0; p < partitions; p++) {
      const { start, end } = await reader.offsets(topic, p);
      for (const r of await reader.read(topic, p, start, end)) {
        out.push({
          partition: p,
          offset: r.offset.toString(),
          key: r.key,
          headers: r.headers,
          schemaId: r.value.readInt32BE(1),
          body: r.value.subarray(5).toString('hex'),
        });
      }
    }
    return out;
  } finally {
    await admin.close();
    await reader.close();
  }
}

/** The tenant's ledger rows exactly as Postgres has them (every column, as row_to_json renders it). */
export async function ledgerRows(pool: pg.Pool, tenant: string): Promise<{ diagrams: unknown[]; events: unknown[] }> {
  const diagrams = await pool.query<{ r: unknown }>(
    'SELECT row_to_json(t) AS r FROM diagrams t WHERE tenant_id = $1 ORDER BY diagram_id',
    [tenant],
  );
  const events = await pool.query<{ r: unknown }>(
    'SELECT row_to_json(t) AS r FROM ledger_events t WHERE tenant_id = $1 ORDER BY diagram_id, version',
    [tenant],
  );
  return { diagrams: diagrams.rows.map((x) => x.r), events: events.rows.map((x) => x.r) };
}

/** Deletes the tenant's topics and waits until the broker no longer lists them. */
export async function deleteTenantTopics(tenant: string): Promise<void> {
  const admin = createKafkaAdmin({ brokers: config.kafka.brokers, clientId: `recovery-test-${process.pid}` });
  try {
    const names = [diagramEventsTopic(tenant), snapshotsTopic(tenant)];
    const existing = await admin.listTopics();
    await admin.deleteTopics(names.filter((n) => existing.includes(n)));
    for (let i = 0; i < 100; i++) {
      const left = (await admin.listTopics()).filter((t) => names.includes(t));
      if (left.length === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`topics of ${tenant} still listed after deletion`);
  } finally {
    await admin.close();
  }
}

/** Deletes the tenant's subjects from the registry (soft, then permanent), so restore must register them again. */
export async function deleteTenantSubjects(tenant: string): Promise<void> {
  for (const topic of [diagramEventsTopic(tenant), snapshotsTopic(tenant)]) {
    const subject = encodeURIComponent(`${topic}-value`);
    await fetch(`${config.schemaRegistry.url}/subjects/${subject}`, { method: 'DELETE' });
    await fetch(`${config.schemaRegistry.url}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
  }
}

export async function latestSchemaId(subject: string): Promise<number | undefined> {
  const res = await fetch(`${config.schemaRegistry.url}/subjects/${encodeURIComponent(subject)}/versions/latest`);
  return res.ok ? ((await res.json()) as { id: number }).id : undefined;
}

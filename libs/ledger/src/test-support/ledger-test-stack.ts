import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { loadStackConfig } from '@flowledger/config';
import {
  computeResultHash,
  createEventCodec,
  diagramEventsTopic,
  type DiagramEvent,
  type EventCodec,
} from '@flowledger/events';
import {
  createKafkaAdmin,
  createKafkaPartitionReader,
  createKafkaProducer,
  type KafkaAdmin,
  type KafkaPartitionReader,
  type KafkaProducer,
} from '@flowledger/kafka';
import { createLedger, type Ledger } from '../ledger.js';
import { migrateLedger } from '../migrations/migrate.js';
import { createOutboxPublisher, type OutboxPublisher } from '../outbox/outbox-publisher.js';

/** Everything a ledger test (or a test's child process) wires against the real stack. */
export interface LedgerTestStack {
  /** The test database's URL (listeners of its notices connect here). */
  databaseUrl: string;
  pool: pg.Pool;
  ledger: Ledger;
  codec: EventCodec;
  producer: KafkaProducer;
  reader: KafkaPartitionReader;
  admin: KafkaAdmin;
  publisher: OutboxPublisher;
  close(): Promise<void>;
}

/**
 * Ledger tests get a database of their own: the stack's running command services sweep the
 * project database's outbox with their relays, which would publish what a test means to leave
 * unpublished. Tests and their child processes all use this one name.
 */
const TEST_DATABASE = 'flowledger_ledger_test';

async function testDatabaseUrl(url: string): Promise<string> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // Files running side by side take turns: two CREATE DATABASE at once may fail otherwise.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [TEST_DATABASE]);
    await admin.query(`CREATE DATABASE ${TEST_DATABASE}`);
  } catch (err) {
    // 42P04: it exists already (made by an earlier run, or by a test running beside this one).
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await admin.end();
  }
  const test = new URL(url);
  test.pathname = `/${TEST_DATABASE}`;
  return test.toString();
}

export async function openLedgerTestStack(name: string, poolSize = 10): Promise<LedgerTestStack> {
  const config = loadStackConfig();
  const databaseUrl = await testDatabaseUrl(config.postgres.url);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  await migrateLedger(pool);
  const connection = { brokers: config.kafka.brokers, clientId: `${name}-${process.pid}` };
  const codec = createEventCodec({ registryUrl: config.schemaRegistry.url });
  const producer = createKafkaProducer(connection);
  const reader = createKafkaPartitionReader(connection);
  const admin = createKafkaAdmin(connection);
  const publisher = createOutboxPublisher({ pool, codec, producer, reader, admin });
  return {
    databaseUrl,
    pool,
    ledger: createLedger({ pool }),
    codec,
    producer,
    reader,
    admin,
    publisher,
    async close() {
      await Promise.allSettled([producer.close(), reader.close(), admin.close()]);
      await pool.end();
    },
  };
}

export const newTenantId = () => `t-${randomUUID().slice(0, 12)}`;

/** A diagram's XML at a version, and what the ledger stores of it. */
export function versionXml(diagramId: string, version: number) {
  const xml = `<definitions id="${diagramId}"><process id="p" name="v${version}"/></definitions>`;
  return { xml, gzip: gzipSync(xml), hash: computeResultHash(xml) };
}

/** The event creating `diagramId`, or its version `version` (> 1), with fixed values for everything else. */
export function testEvent(
  tenantId: string,
  diagramId: string,
  version: number,
  overrides: Partial<DiagramEvent> = {},
): DiagramEvent {
  return {
    eventSchemaVersion: 1,
    eventType: version === 1 ? 'DIAGRAM_CREATED' : 'CHANGES_APPLIED',
    tenantId,
    diagramId,
    diagramName: version === 1 ? `Diagram ${diagramId}` : null,
    version,
    baseVersion: version - 1,
    transactionId: `tx-${diagramId}-${version}`,
    actorId: 'user-ada',
    actorKind: 'USER',
    runId: null,
    requestId: `req-${version}`,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, version)),
    operations:
      version === 1 ? [] : [{ kind: 'updateProperties', elementId: 'p', properties: { name: `v${version}` } }],
    idMap: {},
    resultHash: versionXml(diagramId, version).hash,
    ...overrides,
  };
}

/** Commits `event` (create or append, by version) with the test XML of its version. */
export function commit(ledger: Ledger, event: DiagramEvent) {
  const { gzip } = versionXml(event.diagramId, event.version);
  return event.version === 1 ? ledger.createDiagram(event, gzip) : ledger.append(event, gzip);
}

export interface TopicEvent {
  event: DiagramEvent;
  partition: number;
  offset: bigint;
  key: string;
  headers: Record<string, string>;
}

/** Everything on the tenant's topic, decoded, per partition in offset order. */
export async function readTopic(
  stack: Pick<LedgerTestStack, 'reader' | 'codec'>,
  tenantId: string,
): Promise<TopicEvent[]> {
  const topic = diagramEventsTopic(tenantId);
  const out: TopicEvent[] = [];
  const partitions = await stack.reader.partitionCount(topic);
  for (let p = 0; p < partitions; p++) {
    const { start, end } = await stack.reader.offsets(topic, p);
    for (const r of await stack.reader.read(topic, p, start, end)) {
      out.push({
        event: await stack.codec.decode(r.value),
        partition: r.partition,
        offset: r.offset,
        key: r.key,
        headers: r.headers,
      });
    }
  }
  return out;
}

/** The versions of one diagram on the topic, in topic order. */
export function versionsOnTopic(events: TopicEvent[], diagramId: string): number[] {
  return events.filter((e) => e.event.diagramId === diagramId).map((e) => e.event.version);
}

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

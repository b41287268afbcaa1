import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { devToken, ModelingClient } from '../../support/modeling-client.js';
import { openTopicReader, type TopicReader } from './support/diagram-topic.js';
import { proposeThroughAnOutage } from './support/outage-under-load.js';
import { postgresServer } from './support/stack-server.js';

// DESIGN.md §5 invariants 1, 2 and 5 (restart half): Postgres — the ledger, the ordering
// authority — stops (fast shutdown: connections cut, open transactions aborted) and comes back
// while proposals flow; nothing acknowledged is lost, reordered or doubled, and the ledger and
// the topic agree afterwards.
const tenant = `t${randomUUID().slice(0, 8)}`;
let client: ModelingClient;
let topic: TopicReader;

beforeAll(() => {
  client = new ModelingClient(devToken(tenant, 'ada', ['editor']));
  topic = openTopicReader('invariants-postgres-restart');
});

afterAll(async () => {
  // Whatever happened, Postgres is running again for everyone else's tests.
  if (!(await postgresServer.accepts())) await postgresServer.start();
  client?.close();
  await topic?.close();
}, 200_000);

describe('a Postgres restart while proposals flow through the command service', () => {
  it(
    'loses and reorders nothing: ledger = topic = 1..N per diagram, every acknowledged version in both',
    { timeout: 300_000 },
    () => proposeThroughAnOutage(client, tenant, topic, postgresServer),
  );
});

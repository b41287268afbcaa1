import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { devToken, ModelingClient } from '../../support/modeling-client.js';
import { openTopicReader, type TopicReader } from './support/diagram-topic.js';
import { proposeThroughAnOutage } from './support/outage-under-load.js';
import { kafkaBroker } from './support/stack-server.js';

// DESIGN.md §5 invariants 1, 2 and 5 (restart half): Kafka stops and comes back while proposals
// flow through the command service; nothing acknowledged is lost, reordered or doubled.
const tenant = `t${randomUUID().slice(0, 8)}`;
let client: ModelingClient;
let topic: TopicReader;

beforeAll(() => {
  client = new ModelingClient(devToken(tenant, 'ada', ['editor']));
  topic = openTopicReader('invariants-kafka-restart');
});

afterAll(async () => {
  // Whatever happened, the broker is running again for everyone else's tests.
  if (!(await kafkaBroker.accepts())) await kafkaBroker.start();
  client?.close();
  await topic?.close();
}, 200_000);

describe('a Kafka restart while proposals flow through the command service', () => {
  it(
    'loses and reorders nothing: topic = ledger = 1..N per diagram, every acknowledged version on it',
    { timeout: 300_000 },
    () => proposeThroughAnOutage(client, tenant, topic, kafkaBroker),
  );
});

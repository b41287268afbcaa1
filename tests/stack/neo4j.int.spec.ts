import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import neo4j, { type Driver } from 'neo4j-driver';
import { loadStackConfig } from '@flowledger/config';

// Against the running stack: the embedded Neo4j, over Bolt, with the configured dev credentials.
const { url, username, password } = loadStackConfig().neo4j;

describe('Neo4j over Bolt', () => {
  const driver: Driver = neo4j.driver(url, neo4j.auth.basic(username, password));
  const probeId = `neo4j-int-${randomUUID()}`;

  afterAll(async () => {
    await driver.executeQuery('MATCH (p:StackProbe {id: $id}) DETACH DELETE p', { id: probeId });
    await driver.close();
  });

  it('writes a node and reads it back with the configured credentials', async () => {
    await driver.executeQuery('CREATE (:StackProbe {id: $id, note: $note})', {
      id: probeId,
      note: 'written over Bolt',
    });

    const { records } = await driver.executeQuery(
      'MATCH (p:StackProbe {id: $id}) RETURN p.note AS note',
      { id: probeId },
      { routing: neo4j.routing.READ },
    );

    expect(records.map((r) => r.get('note'))).toEqual(['written over Bolt']);
  });

  it('refuses a login with the wrong password', async () => {
    const intruder = neo4j.driver(url, neo4j.auth.basic(username, `${password}-wrong`));
    try {
      // One attempt only: Neo4j locks a user out for a few seconds after three failed logins.
      await expect(intruder.executeQuery('RETURN 1')).rejects.toMatchObject({
        code: 'Neo.ClientError.Security.Unauthorized',
      });
    } finally {
      await intruder.close();
    }
  });
});

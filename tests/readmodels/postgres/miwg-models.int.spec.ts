import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';
import { adminPool, expectedRowsOf, storedRows, waitForProjection } from './read-model-support.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'miwg-reference');
const models = readdirSync(fixtures)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();
const tenant = uniqueTenant('rm-miwg');
const client = clientFor(tenant, 'alice', ['editor']);
const pool = adminPool();
afterAll(async () => {
  client.close();
  await pool.end();
});

describe('every MIWG reference model, imported through the command service', () => {
  it.each(models)('%s: the Postgres read model agrees with GetDiagram', async (file) => {
    const { diagramId, version } = await client.createDiagram(file, readFileSync(join(fixtures, file), 'utf8'));

    await waitForProjection(pool, tenant, diagramId, version);
    const expected = await expectedRowsOf((await client.getDiagram(diagramId, version)).xml);
    const stored = await storedRows(pool, tenant, diagramId);

    expect(expected.elements.length).toBeGreaterThan(1);
    expect(stored.elements).toEqual(expected.elements);
    expect(stored.flows).toEqual(expected.flows);
    expect(stored.elementCount).toBe(expected.elements.length);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDiagram, semanticSummary } from '@flowledger/bpmn-operations';
import { loadStackConfig } from '@flowledger/config';
import { afterAll, describe, expect, it } from 'vitest';
import { XsdValidatorClient } from '../../../command-service/src/modeling/validation/xsd-validator.client.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// Every OMG MIWG reference model through the real service: imported with CreateDiagram, served
// back by GetDiagram as XSD-valid BPMN (validator-py, over gRPC) that is semantically equal to
// the original — ids, types, names, flows, DI bounds and waypoints (semanticSummary).
const fixtures = join(import.meta.dirname, '../../fixtures/miwg-reference');
const files = readdirSync(fixtures)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();
const tenant = uniqueTenant('miwg');
const alice = clientFor(tenant, 'alice', ['editor']);
const xsd = new XsdValidatorClient(
  loadStackConfig().validator.address,
  join(import.meta.dirname, '../../../schemas/proto'),
);
afterAll(() => {
  alice.close();
  xsd.close();
});

describe('MIWG reference models round-trip through CreateDiagram and GetDiagram', () => {
  it('finds the reference models', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s', async (file) => {
    const original = readFileSync(join(fixtures, file), 'utf8');

    const { diagramId, version } = await alice.createDiagram(file, original);
    const served = await alice.getDiagram(diagramId);

    expect(served.version).toBe(version);
    const verdict = await xsd.validate(served.xml);
    expect(verdict.violations).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(semanticSummary(await parseDiagram(served.xml))).toEqual(semanticSummary(await parseDiagram(original)));
  });
});

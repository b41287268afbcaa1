import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOperations } from './apply-operations.js';
import { countElements } from './count-elements.js';
import { parseDiagram } from './diagram.js';
import { OperationError } from './operation-error.js';
import { DEFAULT_OPERATION_LIMITS } from './operation-limits.js';
import { operationsOf, randomProposal } from './test-support/random-operations.js';

const MIWG = new URL('../../../tests/fixtures/miwg-reference/', import.meta.url);
const models = readdirSync(MIWG).filter((f) => f.endsWith('.bpmn'));

describe('the element cap (maxElementsPerDiagram)', () => {
  it('refuses exactly the proposals that grow a diagram past it, counted without walking the diagram twice', async () => {
    let refused = 0;
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...models), randomProposal, async (model, steps) => {
        // given a diagram exactly at the cap
        const xml = readFileSync(new URL(model, MIWG), 'utf8');
        const capped = await parseDiagram(xml);
        const before = countElements(capped);
        const operations = operationsOf(steps, capped);
        if (operations.length === 0) return;
        // and what the proposal does to the count without a cap
        const free = await parseDiagram(xml);
        const uncapped = await applyOperations(free, operations, {
          version: 2,
          limits: { ...DEFAULT_OPERATION_LIMITS, maxElementsPerDiagram: Number.POSITIVE_INFINITY },
        }).then(
          () => countElements(free),
          (error: unknown) => (error instanceof OperationError ? undefined : Promise.reject(error)),
        );
        if (uncapped === undefined) return; // refused for another reason either way

        // when the same proposal meets the cap
        const outcome = await applyOperations(capped, operations, {
          version: 2,
          limits: { ...DEFAULT_OPERATION_LIMITS, maxElementsPerDiagram: before },
        }).then(
          () => 'applied',
          (error: unknown) => (error as OperationError).code,
        );

        // then it is refused exactly when it grows the diagram
        expect(outcome).toBe(uncapped > before ? 'LIMIT_EXCEEDED' : 'applied');
        if (outcome === 'applied') applied++;
        else refused++;
      }),
      { numRuns: 300, seed: 11 },
    );
    expect(refused).toBeGreaterThan(20);
    expect(applied).toBeGreaterThan(20);
  }, 120_000);
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyOperations,
  DEFAULT_OPERATION_LIMITS,
  OperationError,
  parseDiagram,
  serializeDiagram,
  type Operation,
} from '@flowledger/bpmn-operations';
import { operationsOf, randomProposal } from '@flowledger/bpmn-operations/test-support/random-operations';
import { lintDefinitions, type LintMemo } from './bpmn-lint.js';
import { DEFAULT_LINT_CONFIG, type LintConfig } from './lint-config.js';
import { isLayoutOnly, reusableRules } from './lint-reuse.js';

const fixtures = join(import.meta.dirname, '..', '..', '..', '..', 'tests', 'fixtures', 'miwg-reference');
const models = readdirSync(fixtures).filter((f) => f.endsWith('.bpmn'));
const read = (file: string) => readFileSync(join(fixtures, file), 'utf8');
const move: Operation = { kind: 'moveElements', elementIds: ['a'], delta: { x: 10, y: 0 }, newParentId: '' };
const rename: Operation = { kind: 'updateProperties', elementId: 'a', properties: { name: 'x' } };

describe('which findings a proposal can change', () => {
  it('keeps the layout-blind rules after moves within a parent, resizes and new waypoints only', () => {
    const rules = ['no-disconnected', 'no-overlapping-elements', 'label-required', 'my-plugin/rule'];
    const layout: Operation[] = [
      move,
      { kind: 'resizeShape', elementId: 'a', bounds: { x: 0, y: 0, width: 100, height: 80 } },
      { kind: 'updateWaypoints', elementId: 'f', waypoints: [] },
    ];
    expect(isLayoutOnly(layout)).toBe(true);
    expect([...reusableRules(rules, layout)]).toEqual(['no-disconnected', 'label-required']);
    expect(reusableRules(rules, [move, rename]).size).toBe(0);
    expect(reusableRules(rules, [{ ...move, newParentId: 'SubProcess_1' }]).size).toBe(0);
    expect(reusableRules(rules, []).size).toBe(0);
  });
});

describe('lint from the previous version', () => {
  // Chained as the command service chains it: each version's lint starts from the last one's.
  const configs: Array<[string, LintConfig]> = [
    ['the default', DEFAULT_LINT_CONFIG],
    ['every core rule', { extends: 'bpmnlint:all' }],
  ];
  for (const [name, config] of configs) {
    it(`finds exactly what a full lint finds, after every proposal of random sessions (${name})`, async () => {
      let reused = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...models),
          fc.array(randomProposal, { minLength: 1, maxLength: 12 }),
          async (model, proposals) => {
            let diagram = await parseDiagram(read(model));
            let xml = await serializeDiagram(diagram);
            let memo: LintMemo = (await lintDefinitions(diagram.definitions, config)).memo;
            for (const [i, steps] of proposals.entries()) {
              const operations = operationsOf(steps, diagram);
              if (operations.length === 0) continue;
              try {
                await applyOperations(diagram, operations, { version: i + 2, limits: DEFAULT_OPERATION_LIMITS });
              } catch (error) {
                if (!(error instanceof OperationError)) throw error;
                diagram = await parseDiagram(xml); // the version before, as after a refusal
                continue;
              }
              xml = await serializeDiagram(diagram);
              const full = await lintDefinitions(diagram.definitions, config);
              const incremental = await lintDefinitions(diagram.definitions, config, { memo, operations });
              if (isLayoutOnly(operations)) reused++;
              expect(incremental, `${model} after ${JSON.stringify(operations)}`).toEqual(full);
              memo = incremental.memo;
            }
          },
        ),
        { numRuns: 60, seed: 7 },
      );
      expect(reused).toBeGreaterThan(30);
    }, 180_000);
  }
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation } from '@flowledger/bpmn-operations';
import { randomProposal } from '@flowledger/bpmn-operations/test-support/random-operations';
import {
  miwgModels as models,
  playSession,
  readMiwgModel as read,
} from '@flowledger/bpmn-operations/test-support/random-sessions';
import { lintDefinitions, type LintMemo } from './bpmn-lint.js';
import { DEFAULT_LINT_CONFIG, type LintConfig } from './lint-config.js';
import { isLayoutOnly, reusableRules } from './lint-reuse.js';

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
    expect(reusableRules(rules, [{ ...move, newParentId: 'SubProcess_1' }]).size).toBe(0);
    expect(reusableRules(rules, []).size).toBe(0);
  });

  it('keeps every known rule that reads no names after renames, and no layout-reading one after a move too', () => {
    const rules = ['no-disconnected', 'no-overlapping-elements', 'label-required', 'link-event', 'my-plugin/rule'];
    expect([...reusableRules(rules, [rename])]).toEqual(['no-disconnected', 'no-overlapping-elements']);
    expect([...reusableRules(rules, [move, rename])]).toEqual(['no-disconnected']);
    expect(isLayoutOnly([move, rename])).toBe(false);
    // a rename together with any other property, or another property alone, changes more than names
    const renameAndMore: Operation = { ...rename, properties: { name: 'x', isInterrupting: false } };
    expect(reusableRules(rules, [renameAndMore]).size).toBe(0);
    expect(reusableRules(rules, [{ ...rename, properties: { documentation: 'd' } }]).size).toBe(0);
    expect(reusableRules(rules, [{ ...rename, properties: {} }]).size).toBe(0);
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
      let renamesReused = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...models),
          fc.array(randomProposal, { minLength: 1, maxLength: 12 }),
          async (model, proposals) => {
            let memo: LintMemo | undefined;
            await playSession(
              read(model),
              proposals,
              async ({ operations, diagram }) => {
                const full = await lintDefinitions(diagram.definitions, config);
                const incremental = await lintDefinitions(diagram.definitions, config, { memo: memo!, operations });
                if (reusableRules(['no-disconnected'], operations).size > 0) reused++;
                if (operations.some((op) => op.kind === 'updateProperties') && !isLayoutOnly(operations)) {
                  if (reusableRules(['no-disconnected'], operations).size > 0) renamesReused++;
                }
                expect(incremental, `${model} after ${JSON.stringify(operations)}`).toEqual(full);
                memo = incremental.memo;
              },
              {
                onStart: async (diagram) => {
                  memo = (await lintDefinitions(diagram.definitions, config)).memo;
                },
              },
            );
          },
        ),
        { numRuns: 60, seed: 7 },
      );
      expect(reused).toBeGreaterThan(30);
      expect(renamesReused).toBeGreaterThan(5); // seeded: renames-only proposals do occur
    }, 180_000);
  }
});

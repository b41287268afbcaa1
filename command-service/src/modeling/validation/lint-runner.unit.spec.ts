import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOperations, DEFAULT_OPERATION_LIMITS, parseDiagram, type Diagram } from '@flowledger/bpmn-operations';
import { DEFAULT_LINT_CONFIG, type LintConfig } from './lint-config.js';
import { compileLintConfig, lint, type LintReporter } from './lint-runner.js';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint') as { Linter: new (o: unknown) => { lint(root: unknown): Promise<unknown> } };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new () => unknown;

const fixtures = join(import.meta.dirname, '..', '..', '..', '..', 'tests', 'fixtures', 'miwg-reference');
const models = readdirSync(fixtures).filter((f) => f.endsWith('.bpmn'));

const CONFIGS: Record<string, LintConfig> = {
  default: DEFAULT_LINT_CONFIG,
  'bpmnlint:all': { extends: 'bpmnlint:all' },
  'recommended, some off': {
    extends: 'bpmnlint:recommended',
    rules: { 'label-required': 'off', 'fake-join': 'error' },
  },
};

/** bpmnlint itself: one Linter per lint (its rules keep state), one tree walk per rule. */
const bpmnlint = (root: unknown, config: LintConfig) => new Linter({ config, resolver: new NodeResolver() }).lint(root);

describe('lint: one walk for all rules, the same findings as bpmnlint', () => {
  it('reports exactly what bpmnlint reports on every MIWG reference model, for several configurations', async () => {
    expect(models.length).toBeGreaterThan(10);
    for (const [configName, config] of Object.entries(CONFIGS)) {
      const compiled = await compileLintConfig(config);
      for (const model of models) {
        const { definitions } = await parseDiagram(readFileSync(join(fixtures, model), 'utf8'));
        const expected = await bpmnlint(definitions, config);
        expect(lint(definitions, compiled), `${model} with ${configName}`).toEqual(expected);
      }
    }
  });

  it('reports exactly what bpmnlint reports on broken models: random elements deleted from MIWG models', async () => {
    const compiled = await compileLintConfig({ extends: 'bpmnlint:all' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...models),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        async (model, n, seed) => {
          const diagram = await parseDiagram(readFileSync(join(fixtures, model), 'utf8'));
          await deleteSome(diagram, n, seed);
          const expected = (await bpmnlint(diagram.definitions, { extends: 'bpmnlint:all' })) as Record<
            string,
            unknown
          >;
          expect(lint(diagram.definitions, compiled)).toEqual(expected);
        },
      ),
      { numRuns: 60, seed: 20261201 },
    );
  });

  it('lets a rule skip a subtree for itself only, and still leave the node it skipped under', async () => {
    // given a rule that stops at processes and reports each enter and leave, beside one that sees everything
    const tracing = (skipProcesses: boolean) => () => ({
      check: {
        enter: (node: { id?: string; $instanceOf(t: string): boolean }, r: { report(id: string, m: string): void }) => {
          r.report(node.id ?? '', 'enter');
          if (skipProcesses && node.$instanceOf('bpmn:Process')) return false;
        },
        leave: (node: { id?: string }, r: { report(id: string, m: string): void }) => r.report(node.id ?? '', 'leave'),
      },
    });
    const factories: Record<string, () => unknown> = { skips: tracing(true), sees: tracing(false) };
    const config = { rules: { 'trace/skips': 'warn', 'trace/sees': 'error' } };
    const resolver = { resolveRule: (_pkg: string, name: string) => factories[name], resolveConfig: () => undefined };
    const compiled = {
      rules: Object.entries(factories).map(([name, factory]) => ({
        name: `trace/${name}`,
        category: name === 'skips' ? 'warn' : 'error',
        config: {},
        factory: factory as never,
      })),
    };
    const { definitions } = await parseDiagram(readFileSync(join(fixtures, 'C.9.1.bpmn'), 'utf8'));

    // when both lint the same model
    const ours = lint(definitions, compiled) as Record<string, Array<{ id: string; message: string }>>;
    const theirs = await new Linter({ config, resolver }).lint(definitions);

    // then the findings are bpmnlint's, and the skipping rule saw fewer nodes, leaving the process it skipped under
    expect(ours).toEqual(theirs);
    expect(ours['trace/skips']!.length).toBeLessThan(ours['trace/sees']!.length);
    const processId = [
      ...(definitions as unknown as { rootElements: Array<{ id: string; $type: string }> }).rootElements,
    ].find((e) => e.$type === 'bpmn:Process')!.id;
    expect(ours['trace/skips']).toContainEqual(expect.objectContaining({ id: processId, message: 'leave' }));
  });

  it('gives each run fresh rule instances: a stateful rule does not remember an earlier diagram', async () => {
    const compiled = await compileLintConfig(DEFAULT_LINT_CONFIG);
    const { definitions } = await parseDiagram(readFileSync(join(fixtures, 'C.9.1.bpmn'), 'utf8'));
    const first = lint(definitions, compiled);
    expect(lint(definitions, compiled)).toEqual(first);
    expect(first['no-duplicate-sequence-flows']).toBeUndefined();
  });

  it('turns a crashing rule into one rule-error report and keeps the other rules going', async () => {
    const compiled = await compileLintConfig(DEFAULT_LINT_CONFIG);
    const crashing = {
      name: 'crashes-on-tasks',
      category: 'error',
      config: {},
      factory: () => {
        let seen = 0;
        return {
          check: (_node: unknown, reporter: LintReporter) => {
            reporter.report('x', 'seen');
            if (++seen === 3) throw new Error('boom');
          },
        };
      },
    };
    const { definitions } = await parseDiagram(readFileSync(join(fixtures, 'C.9.1.bpmn'), 'utf8'));
    const reports = lint(definitions, { rules: [crashing, ...compiled.rules] });
    expect(reports['crashes-on-tasks']).toEqual([{ message: 'boom', category: 'rule-error' }]);
    const { ['crashes-on-tasks']: _, ...others } = reports;
    expect(others).toEqual(lint(definitions, compiled));
  });

  it('walks the diagram interchange only for rules that check its nodes: standard-size and unknown rules', async () => {
    // given every core rule compiled, and two traced rules, one flagged to skip the interchange
    const compiled = await compileLintConfig({ extends: 'bpmnlint:all' });
    const flags = new Map(compiled.rules.map((r) => [r.name, r.skipsInterchange]));
    expect(flags.get('label-required')).toBe(true);
    expect(flags.get('no-overlapping-elements')).toBe(true);
    expect(flags.get('standard-size')).toBe(false);
    const seen = (skipsInterchange: boolean) => ({
      name: skipsInterchange ? 'trace/skips' : 'trace/walks',
      category: 'warn',
      config: {},
      skipsInterchange,
      factory: () => ({
        check: (node: { $type: string }, r: LintReporter) => {
          if (node.$type.startsWith('bpmndi:')) r.report('', node.$type);
        },
      }),
    });
    const { definitions } = await parseDiagram(readFileSync(join(fixtures, 'C.9.1.bpmn'), 'utf8'));

    // when both trace the BPMNDI nodes they are shown
    const reports = lint(definitions, { rules: [seen(true), seen(false)] });

    // then only the rule that walks the interchange reached it
    expect(reports['trace/skips']).toBeUndefined();
    expect(reports['trace/walks']!.map((r) => r.message)).toContain('bpmndi:BPMNShape');
  });
});

/** Deletes `n` pseudo-randomly chosen flow elements (cascades leave dangling references behind). */
async function deleteSome(diagram: Diagram, n: number, seed: number): Promise<void> {
  const ids = [...diagram.elementsById.keys()].filter((id) =>
    diagram.elementsById.get(id)!.$instanceOf('bpmn:FlowElement'),
  );
  for (let i = 0; i < n && ids.length > 0; i++) {
    const [id] = ids.splice(Math.abs(seed + i * 7919) % ids.length, 1);
    await applyOperations(diagram, [{ kind: 'deleteElements', elementIds: [id!] }], {
      version: 2,
      limits: DEFAULT_OPERATION_LIMITS,
    }).catch(() => undefined);
  }
}
